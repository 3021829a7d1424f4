"""Shared form fields."""

import pytest
from django import forms

from solidaire.core.forms import ModelMultipleChoiceField
from solidaire.organizing.models import Chapter


@pytest.mark.parametrize("value", ["99999999999999999999", "-99999999999999999999",
                                   str(2**63)])
def test_ids_no_column_can_hold_are_not_a_valid_choice(world, value):
    field = ModelMultipleChoiceField(queryset=Chapter.objects.all())
    with pytest.raises(forms.ValidationError) as raised:
        field.clean([str(world.montreal.pk), value])
    assert raised.value.code == "invalid_choice"


def test_real_ids_are_still_chosen(world):
    field = ModelMultipleChoiceField(queryset=Chapter.objects.all())
    assert set(field.clean([str(world.montreal.pk), str(world.cdn.pk)])) == {
        world.montreal, world.cdn}
    with pytest.raises(forms.ValidationError):
        field.clean([str(2**63 - 1)])  # fits a column, but is no chapter

"""Every organizer date field writes its value as YYYY-MM-DD, whatever the language.

`<input type="date">` reads ISO dates only: a French page that wrote "09/06/2026" would
show an empty picker, and the next submit would lose the date (core.forms.IsoDateInput).
"""

import datetime
import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.utils import timezone, translation

import solidaire.organize.forms as organize_forms
from solidaire.core.forms import IsoDateInput
from solidaire.organize.forms.charts import RangeForm

from tests.organize.conftest import url


def organizer_date_fields():
    for module_info in pkgutil.iter_modules(organize_forms.__path__):
        module = importlib.import_module(f"{organize_forms.__name__}.{module_info.name}")
        for name, form in inspect.getmembers(module, inspect.isclass):
            if form.__module__ != module.__name__ or not issubclass(form, forms.BaseForm):
                continue
            for field_name, field in form.base_fields.items():
                if isinstance(field, forms.DateField):
                    yield f"{module_info.name}.{name}.{field_name}", field


def test_every_organizer_date_field_has_an_iso_date_input():
    fields = dict(organizer_date_fields())
    assert "charts.RangeForm.start" in fields
    wrong = [name for name, field in fields.items() if not isinstance(field.widget, IsoDateInput)]
    assert wrong == []


def test_the_dashboard_range_renders_iso_dates_in_french():
    with translation.override("fr"):
        html = str(RangeForm(initial={"start": datetime.date(2026, 6, 9),
                                      "end": datetime.date(2026, 7, 1)}))
    assert 'type="date"' in html
    assert 'value="2026-06-09"' in html and 'value="2026-07-01"' in html
    assert "09/06/2026" not in html


@pytest.mark.django_db
def test_the_french_dashboard_starts_with_iso_dates(world, as_user):
    html = as_user(world.montreal_organizer).get(url("home", lang="fr")).content.decode()
    today = timezone.localdate().isoformat()
    assert f'value="{today}"' in html

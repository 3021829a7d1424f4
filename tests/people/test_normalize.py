import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from solidaire.people.normalize import (
    format_phone,
    normalize_email,
    normalize_phone,
    normalize_postal_code,
)


@pytest.mark.parametrize(
    "typed",
    ["514-555-0123", "(514) 555-0123", "+1 514 555 0123", "514.555.0123", "1 514 555 0123",
     " 5145550123 "],
)
def test_every_way_of_writing_a_phone_gives_one_e164(typed):
    assert normalize_phone(typed) == "+15145550123"


@pytest.mark.parametrize("typed", ["555-0123", "hello", "123", "+1 999 555 0123", ""])
def test_what_cannot_be_a_phone_is_refused_with_a_message(typed):
    with pytest.raises(ValidationError) as exc:
        normalize_phone(typed)
    assert exc.value.messages


def test_e_mail_is_trimmed_and_lower_cased():
    assert normalize_email("  Maria.Santos@Example.ORG ") == "maria.santos@example.org"


def test_a_malformed_e_mail_is_refused():
    with pytest.raises(ValidationError):
        normalize_email("maria@")


@pytest.mark.parametrize("typed", ["h2x1y4", "H2X 1Y4", " h2x  1y4 "])
def test_postal_codes_are_written_the_canadian_way(typed):
    assert normalize_postal_code(typed) == "H2X 1Y4"


def test_a_malformed_postal_code_is_refused():
    with pytest.raises(ValidationError):
        normalize_postal_code("12345")


def test_phones_are_shown_in_national_format():
    assert format_phone("+15145550123") == "(514) 555-0123"


@given(st.integers(min_value=0, max_value=99), st.sampled_from(["514", "438", "418", "416"]))
def test_normalizing_is_idempotent(last, area):
    e164 = normalize_phone(f"{area}555{last + 100:04d}")
    assert normalize_phone(e164) == e164
    assert normalize_phone(format_phone(e164)) == e164

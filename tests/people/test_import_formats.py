"""Exports of the tools organizers come from (Action Network, CiviCRM, NationBuilder,
Zetkin, Google Forms, Microsoft Forms) import with their own column names and values."""

from pathlib import Path

import pytest

from solidaire.people.importing.columns import detect_format, mapping_guess
from solidaire.people.importing.selectors import import_column_notes
from solidaire.people.importing.services import (
    person_import_configure,
    person_import_create,
    person_import_run,
)
from solidaire.people.models import ConsentEvent, Person, PersonImport

FILES = Path(__file__).parent / "import_formats"


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "imports"


def uploaded(name: str, actor) -> PersonImport:
    path = FILES / name
    return person_import_create(path=path, original_name=name, actor=actor)


def run(person_import: PersonImport, world) -> PersonImport:
    person_import_configure(person_import=person_import, mapping=person_import.mapping,
                            chapter=world.montreal, tag_names=[], actor=world.coordinator)
    PersonImport.objects.filter(pk=person_import.pk).update(state=PersonImport.State.QUEUED)
    done = person_import_run(import_id=person_import.pk)
    assert done.state == PersonImport.State.DONE
    return done


def person(email: str) -> Person:
    return Person.objects.get(emails__address=email)


def phones(someone: Person) -> list[str]:
    return sorted(someone.phones.values_list("number", flat=True))


def tags(someone: Person) -> set[str]:
    return set(someone.tags.values_list("name", flat=True))


def consent_events(someone: Person) -> dict[str, bool]:
    return dict(ConsentEvent.objects.filter(person=someone).values_list("channel", "granted"))


def test_action_network_export(world):
    person_import = uploaded("action_network.csv", world.coordinator)
    assert detect_format(person_import.headers) == "action_network"
    notes = import_column_notes(person_import)
    assert notes.format == detect_format(person_import.headers)
    # Columns kept nowhere are named before the import runs.
    assert {"can2_user_address", "can2_user_city", "can2_state_abbreviated"} <= set(
        notes.unmapped)
    assert notes.language_default is None  # can2_user_language is read
    done = run(person_import, world)
    assert (done.created_count, done.problem_count) == (4, 0)

    maya = person("maya.tremblay@example.org")
    assert phones(maya) == ["+15145550121"]
    assert maya.preferred_language == "en"
    assert tags(maya) == {"Volunteer", "Housing committee"}
    assert (maya.consent_email, maya.consent_sms) == (True, True)
    assert maya.postal_code == "H2X 1Y4"

    luc = person("luc.gagnon@example.org")
    assert (phones(luc), luc.preferred_language, tags(luc)) == (["+15145550122"], "fr",
                                                                  {"Tenants"})
    assert consent_events(luc) == {"email": False, "sms": False}
    ana = person("ana.silva@example.org")
    assert (ana.preferred_language, ana.consent_email) == ("es", False)
    assert consent_events(ana) == {"email": False}  # bouncing: never e-mailed
    dev = person("dev.patel@example.org")
    assert (dev.preferred_language, dev.consent_email, dev.consent_sms) == ("en", False, False)


def test_civicrm_contact_export(world):
    person_import = uploaded("civicrm.csv", world.coordinator)
    assert detect_format(person_import.headers) == "civicrm"
    notes = import_column_notes(person_import)
    assert notes.format == detect_format(person_import.headers)
    assert "Phone Type" not in notes.unmapped  # understood, nothing to keep
    done = run(person_import, world)
    assert (done.created_count, done.problem_count) == (3, 0)

    maya = person("maya.tremblay@example.org")
    assert maya.chosen_name == "Maya Tremblay"
    assert (phones(maya), maya.preferred_language) == (["+15145550131"], "en")
    assert tags(maya) == {"Volunteer", "Donor", "Newsletter"}
    # "Do Not …" = 0 is no refusal, and no consent either: nothing is recorded.
    assert consent_events(maya) == {}

    luc = person("luc.gagnon@example.org")
    assert (phones(luc), luc.preferred_language, tags(luc)) == (["+15145550132"], "fr",
                                                                  {"Tenant"})
    assert consent_events(luc) == {"email": False, "sms": False}
    ana = person("ana.silva@example.org")
    assert ana.preferred_language == "fr"
    assert tags(ana) == {"Newsletter", "Members"}
    assert consent_events(ana) == {"email": False, "phone": False}


def test_civicrm_opt_out_withdraws_consent_of_someone_already_in_the_list(world):
    first = run(uploaded("action_network.csv", world.coordinator), world)
    assert first.created_count == 4
    maya = person("maya.tremblay@example.org")
    assert maya.consent_email is True
    path = FILES / "civicrm.csv"
    text = path.read_text().replace("Maya Tremblay,maya.tremblay@example.org,514-555-0131,"
                                    "Mobile,H2X 1Y4,Montréal,en_US,0",
                                    "Maya Tremblay,maya.tremblay@example.org,514-555-0131,"
                                    "Mobile,H2X 1Y4,Montréal,en_US,1")
    assert text != path.read_text()
    copy = path.parent.parent / "tmp-civicrm.csv"
    try:
        copy.write_text(text)
        person_import = person_import_create(path=copy, original_name="civicrm.csv",
                                             actor=world.coordinator)
    finally:
        copy.unlink()
    run(person_import, world)
    maya.refresh_from_db()
    assert maya.consent_email is False


def test_nationbuilder_people_export(world):
    person_import = uploaded("nationbuilder.csv", world.coordinator)
    assert detect_format(person_import.headers) == "nationbuilder"
    assert import_column_notes(person_import).format == detect_format(person_import.headers)
    done = run(person_import, world)
    assert (done.created_count, done.problem_count) == (2, 0)

    maya = person("maya.tremblay@example.org")
    assert phones(maya) == ["+14385550142", "+15145550141"]
    assert (maya.preferred_language, maya.postal_code) == ("en", "H2X 1Y4")
    assert tags(maya) == {"volunteer", "canvass 2025"}
    assert (maya.consent_email, maya.consent_sms) == (True, True)
    luc = person("luc.gagnon@example.org")
    assert (phones(luc), luc.preferred_language, tags(luc)) == (["+15145550143"], "fr",
                                                                  {"donor"})
    assert consent_events(luc) == {"email": False, "sms": False}


def test_zetkin_export_warns_that_everyone_gets_the_default_language(world):
    person_import = uploaded("zetkin.csv", world.coordinator)
    assert detect_format(person_import.headers) == "zetkin"
    notes = import_column_notes(person_import)
    assert notes.format == detect_format(person_import.headers)
    assert notes.language_default == "fr"
    assert "ext_id" not in notes.unmapped and "id" not in notes.unmapped
    done = run(person_import, world)
    assert (done.created_count, done.problem_count) == (2, 0)
    maya = person("maya.tremblay@example.org")
    assert phones(maya) == ["+14385550152", "+15145550151"]
    assert (maya.postal_code, maya.preferred_language) == ("H2X 1Y4", "fr")
    assert phones(person("luc.gagnon@example.org")) == ["+15145550153"]


def test_google_forms_responses_in_french(world):
    person_import = uploaded("google_forms_fr.csv", world.coordinator)
    assert detect_format(person_import.headers) == "google_forms"
    notes = import_column_notes(person_import)
    assert notes.format == detect_format(person_import.headers)
    assert "Horodateur" not in notes.unmapped
    assert person_import.mapping == {"1": "email", "2": "given_name", "3": "family_name",
                                     "4": "phone", "5": "preferred_language",
                                     "6": "consent_email"}
    done = run(person_import, world)
    assert (done.created_count, done.problem_count) == (2, 0)
    maya = person("maya.tremblay@example.org")
    assert (maya.chosen_name, phones(maya)) == ("Maya Tremblay", ["+15145550161"])
    assert (maya.preferred_language, maya.consent_email) == ("en", True)
    luc = person("luc.gagnon@example.org")
    assert (luc.preferred_language, consent_events(luc)) == ("fr", {"email": False})


def test_microsoft_forms_responses(world):
    person_import = uploaded("microsoft_forms.csv", world.coordinator)
    assert detect_format(person_import.headers) == "microsoft_forms"
    assert import_column_notes(person_import).format == detect_format(person_import.headers)
    mapping = person_import.mapping
    # The question "Your full name", not the respondent's account ("anonymous").
    assert mapping["6"] == "chosen_name" and "4" not in mapping
    assert (mapping["8"], mapping["9"], mapping["10"]) == ("phone", "preferred_language",
                                                           "consent_sms")
    done = run(person_import, world)
    assert (done.created_count, done.problem_count) == (2, 0)
    maya = person("maya.tremblay@example.org")
    assert (maya.chosen_name, phones(maya)) == ("Maya Tremblay", ["+15145550171"])
    assert (maya.preferred_language, maya.consent_sms) == ("en", True)
    luc = person("luc.gagnon@example.org")
    assert (luc.preferred_language, consent_events(luc)) == ("fr", {"sms": False})


def test_a_plain_spreadsheet_is_no_tool_and_keeps_its_guess():
    headers = ["Prénom", "Nom", "Courriel", "Téléphone", "Notes"]
    assert detect_format(headers) == ""
    assert mapping_guess(headers) == {"0": "given_name", "1": "family_name", "2": "email",
                                      "3": "phone"}


def test_important_columns_left_unmapped_are_listed(world, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Name,Email,Work phone ext,Newsletter opt-out,Langue maternelle,Notes\r\n"
                    "Maya Tremblay,maya@example.org,12,x,fr,\r\n")
    person_import = person_import_create(path=path, original_name="list.csv",
                                         actor=world.coordinator)
    notes = import_column_notes(person_import, mapping={"0": "chosen_name", "1": "email"})
    assert notes.format == ""
    assert notes.unmapped == ["Work phone ext", "Newsletter opt-out", "Langue maternelle"]
    assert notes.language_default == "fr"


def test_the_people_command_says_what_it_recognized_and_left_out(world):
    import io

    from django.core.management import call_command
    from django.utils import translation

    out = io.StringIO()
    with translation.override("en"):
        call_command("people", "import", str(FILES / "action_network.csv"), "--user",
                     "montreal", "--chapter", world.montreal.slug, stdout=out)
    text = out.getvalue()
    assert "Recognized: Action Network export." in text
    assert ("These columns look important but will not be imported: can2_user_address, "
            "can2_user_city, can2_state_abbreviated") in text
    assert person("maya.tremblay@example.org").preferred_language == "en"

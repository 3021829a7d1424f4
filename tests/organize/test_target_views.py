"""The target pages: list, add, read and edit, CSV import; who may do what."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from solidaire.campaigns.models import Level, Riding, Target
from solidaire.core.models import AuditEntry

from tests.factories import TargetFactory, TargetOfficeFactory
from tests.organize.conftest import url

FRENCH_FILE = Path(__file__).parent.parent / "campaigns" / "data" / "targets_fr_cp1252.csv"


def office_management(total=3, initial=0) -> dict:
    return {"offices-TOTAL_FORMS": str(total), "offices-INITIAL_FORMS": str(initial),
            "offices-MIN_NUM_FORMS": "0", "offices-MAX_NUM_FORMS": "3"}


def form_data(**overrides) -> dict:
    data = {
        "kind": "mp", "name": "Marie Exemple", "role_fr": "Députée de Lac-Imaginaire",
        "role_en": "Member for Lac-Imaginaire", "level": "federal", "riding": "",
        "riding_name": "Lac-Imaginaire", "body": "Parti imaginaire",
        "email": "Marie@Example.org", "languages": ["fr", "en"],
        "social_twitter": "@marie", "social_website": "https://example.org",
        "notes": "Answers in the morning.", "is_active": "on",
        **office_management(),
        "offices-0-label": "Constituency office", "offices-0-phone": "514 555-0111",
        "offices-0-hours": "9–17", "offices-0-address": "1 Main St",
        "offices-1-label": "Ottawa office", "offices-1-phone": "(613) 555-0112",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_an_organizer_adds_a_target_with_offices_and_a_new_riding(world, as_user):
    client = as_user(world.montreal_organizer)
    response = client.post(url("target_add"), form_data())
    target = Target.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("target_detail", target.pk)
    assert target.role == {"fr": "Députée de Lac-Imaginaire", "en": "Member for Lac-Imaginaire"}
    assert target.riding == Riding.objects.get(name="Lac-Imaginaire", level=Level.FEDERAL)
    assert (target.email, target.languages) == ("marie@example.org", ["fr", "en"])
    assert target.social == {"twitter": "@marie", "website": "https://example.org"}
    assert [(o.label, o.phone) for o in target.offices.order_by("position")] == [
        ("Constituency office", "+15145550111"), ("Ottawa office", "+16135550112")]
    assert AuditEntry.objects.get(action="solidaire.target.created").actor == \
        world.montreal_organizer
    page = client.get(response["Location"]).content.decode()
    assert "Marie Exemple was added." in page
    assert "Member for Lac-Imaginaire" in page


def test_a_bad_phone_is_explained_and_everything_typed_is_kept(world, as_user):
    client = as_user(world.coordinator)
    response = client.post(url("target_add"), form_data(**{"offices-1-phone": "555-12"}))
    page = response.content.decode()
    assert response.status_code == 200
    assert not Target.objects.exists()
    assert "is not a" in page and "555-12" in page
    assert 'value="Marie Exemple"' in page
    assert 'value="Constituency office"' in page
    assert "Answers in the morning." in page


def test_an_organizer_edits_a_target_and_its_offices(world, as_user):
    riding = Riding.objects.create(level=Level.FEDERAL, name="Mont-Fictif", code="99003")
    target = TargetFactory(name="Bo", kind=Target.Kind.MP, riding=riding,
                           social={"mastodon": "@bo@example.org"})
    TargetOfficeFactory(target=target, label="Old office", phone="+15145550100", position=0)
    TargetOfficeFactory(target=target, label="Gone", phone="+15145550101", position=1)
    client = as_user(world.rimouski_organizer)
    page = client.get(url("target_detail", target.pk)).content.decode()
    assert 'value="Old office"' in page and "Edit this target" in page
    data = form_data(name="Bo Renamed", riding=str(riding.pk), riding_name="",
                     **office_management(total=3, initial=2),
                     **{"offices-0-label": "New office", "offices-0-phone": "4185550199",
                        "offices-0-hours": "", "offices-0-address": "",
                        "offices-1-label": "", "offices-1-phone": ""})
    response = client.post(url("target_detail", target.pk), data)
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.name, target.riding) == ("Bo Renamed", riding)
    assert target.social == {"mastodon": "@bo@example.org", "twitter": "@marie",
                             "website": "https://example.org"}
    assert [(o.label, o.phone) for o in target.offices.order_by("position")] == [
        ("New office", "+14185550199")]
    entry = AuditEntry.objects.get(action="solidaire.target.updated")
    assert entry.actor == world.rimouski_organizer and "offices" in entry.data["fields"]


def test_the_same_target_twice_is_refused_with_a_message(world, as_user):
    riding = Riding.objects.create(level=Level.FEDERAL, name="Lac-Imaginaire")
    TargetFactory(name="Marie Exemple", kind=Target.Kind.MP, riding=riding)
    response = as_user(world.coordinator).post(url("target_add"), form_data())
    assert response.status_code == 200
    assert "already recorded" in response.content.decode()
    assert Target.objects.count() == 1


def test_a_volunteer_reads_targets_but_cannot_add_edit_or_import(world, as_user):
    target = TargetFactory(name="Bo")
    client = as_user(world.volunteer)
    assert client.get(url("targets")).status_code == 200
    page = client.get(url("target_detail", target.pk)).content.decode()
    assert "Bo" in page and "Edit this target" not in page
    assert client.post(url("target_detail", target.pk), form_data()).status_code == 404
    assert client.get(url("target_add")).status_code == 404
    assert client.post(url("target_add"), form_data()).status_code == 404
    assert client.get(url("target_import")).status_code == 404
    target.refresh_from_db()
    assert target.name == "Bo" and Target.objects.count() == 1


def test_the_list_searches_filters_and_shows_role_riding_and_first_phone(world, as_user):
    riding = Riding.objects.create(level=Level.FEDERAL, name="Mont-Fictif")
    mp = TargetFactory(name="Ana Députée", kind=Target.Kind.MP, riding=riding,
                       role={"fr": "Députée", "en": "Member of Parliament"})
    TargetOfficeFactory(target=mp, phone="+15145550123", position=0)
    TargetOfficeFactory(target=mp, phone="+16135550999", position=1)
    TargetFactory(name="Warehouse Inc.", kind=Target.Kind.EMPLOYER, level=Level.OTHER,
                  role={})
    client = as_user(world.coordinator)
    page = client.get(url("targets")).content.decode()
    assert "Ana Députée" in page and "Warehouse Inc." in page
    assert "Member of Parliament" in page and "Mont-Fictif" in page
    assert "(514) 555-0123" in page and "555-0999" not in page
    page = client.get(url("targets"), {"q": "fictif"}).content.decode()
    assert "Ana Députée" in page and "Warehouse Inc." not in page
    page = client.get(url("targets"), {"kind": "employer"}).content.decode()
    assert "Warehouse Inc." in page and "Ana Députée" not in page
    page = client.get(url("targets"), {"level": "federal"}).content.decode()
    assert "Ana Députée" in page and "Warehouse Inc." not in page
    page = client.get(url("targets", lang="fr")).content.decode()
    assert "Députée</td>" in page


def test_the_list_is_paginated_and_its_query_count_does_not_grow(world, as_user,
                                                                django_assert_max_num_queries):
    for number in range(60):
        TargetOfficeFactory(target=TargetFactory(name=f"T{number:02d}"))
    client = as_user(world.coordinator)
    with django_assert_max_num_queries(9):
        page = client.get(url("targets")).content.decode()
    assert "T49" in page and "T50" not in page
    assert "T50" in client.get(url("targets"), {"page": 2}).content.decode()


def test_the_import_page_shows_the_summary_and_the_bad_rows(world, as_user):
    client = as_user(world.montreal_organizer)
    assert client.get(url("target_import")).status_code == 200
    upload = SimpleUploadedFile("cibles.csv", FRENCH_FILE.read_bytes(), "text/csv")
    response = client.post(url("target_import"), {"file": upload, "update": "on"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "3 targets added" in page and "4 rows with problems" in page
    assert "Sénateur" in page and "Couleur préférée" in page
    assert Target.objects.count() == 3
    upload = SimpleUploadedFile("cibles.csv", FRENCH_FILE.read_bytes(), "text/csv")
    page = client.post(url("target_import"), {"file": upload, "update": "on"}).content.decode()
    assert "0 targets added" in page and "3 targets already recorded" in page
    assert Target.objects.count() == 3
    entry = AuditEntry.objects.filter(action="solidaire.targets.imported").first()
    assert entry.actor == world.montreal_organizer


@pytest.mark.parametrize("content", [b"", b"Courriel\nx@example.org\n"])
def test_an_unreadable_file_is_explained_on_the_page(world, as_user, content):
    upload = SimpleUploadedFile("bad.csv", content, "text/csv")
    response = as_user(world.coordinator).post(url("target_import"), {"file": upload})
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not Target.objects.exists()


def test_a_riding_of_another_level_is_refused(world, as_user):
    riding = Riding.objects.create(level=Level.PROVINCIAL, name="Circonscription provinciale")
    response = as_user(world.coordinator).post(url("target_add"), form_data(
        riding=str(riding.pk), riding_name=""))
    assert response.status_code == 200
    assert "choose that level or another riding" in response.content.decode()
    assert not Target.objects.exists()

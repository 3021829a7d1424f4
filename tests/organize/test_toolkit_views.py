"""A campaign's toolkit on the organizer pages: list with download counts, add (file or
link, limited in size and type), change, delete; out of scope is a 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from solidaire.campaigns.models import Resource
from solidaire.core.models import AuditEntry
from solidaire.organize.forms.toolkit import MAX_UPLOAD_BYTES

from tests.factories import CampaignFactory
from tests.organize.conftest import url


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def campaign(world):
    return CampaignFactory(organization=world.centre, chapter=world.montreal, slug="status")


def pdf(name="flyer.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"x" * size, content_type="application/pdf")


def form_data(**overrides):
    data = {"kind": "flyer", "title": "Flyer A4", "language": "fr", "url": "",
            "is_public": "on"}
    data.update(overrides)
    return data


def test_an_organizer_uploads_a_flyer_stored_under_media_root_and_audited(
        world, as_user, campaign, media):
    client = as_user(world.montreal_organizer)
    response = client.post(url("resource_add", "status"), form_data(file=pdf()))
    assert response.status_code == 302
    assert response["Location"] == url("resources", "status")
    resource = Resource.objects.get()
    assert (resource.campaign, resource.kind, resource.title, resource.language,
            resource.is_public, resource.url) == (campaign, "flyer", "Flyer A4", "fr", True, "")
    assert (media / resource.file.name).read_bytes().startswith(b"%PDF")
    assert AuditEntry.objects.get(action="solidaire.resource.created").actor == \
        world.montreal_organizer


def test_a_link_is_enough_and_the_list_shows_download_counts(world, as_user, campaign):
    client = as_user(world.montreal_organizer)
    client.post(url("resource_add", "status"),
                form_data(kind="faq", title="FAQ video", language="en",
                          url="https://video.example.org/faq"))
    Resource.objects.filter(title="FAQ video").update(download_count=17)
    page = client.get(url("resources", "status")).content.decode()
    assert "FAQ video" in page
    assert '<td class="number">17</td>' in page
    assert "17 downloads in all" in page


def test_a_file_too_big_keeps_the_form_with_a_message(world, as_user, campaign):
    client = as_user(world.montreal_organizer)
    big = SimpleUploadedFile("big.pdf", b"x" * (MAX_UPLOAD_BYTES + 1),
                             content_type="application/pdf")
    response = client.post(url("resource_add", "status"), form_data(file=big, title="Big one"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "This file is too big" in page and "The limit is 20 MB" in page
    assert 'value="Big one"' in page
    assert not Resource.objects.exists()


def test_a_file_of_another_type_keeps_the_form_with_a_message(world, as_user, campaign):
    client = as_user(world.montreal_organizer)
    script = SimpleUploadedFile("run.exe", b"MZ....", content_type="application/octet-stream")
    response = client.post(url("resource_add", "status"), form_data(file=script))
    assert response.status_code == 200
    assert "This type of file is not accepted" in response.content.decode()
    assert not Resource.objects.exists()


def test_neither_file_nor_link_is_refused(world, as_user, campaign):
    response = as_user(world.coordinator).post(url("resource_add", "status"), form_data())
    assert response.status_code == 200
    assert "Choose a file to upload, or give a link." in response.content.decode()


def test_editing_keeps_the_file_and_a_new_file_replaces_the_old(
        world, as_user, campaign, media, django_capture_on_commit_callbacks):
    client = as_user(world.montreal_organizer)
    client.post(url("resource_add", "status"), form_data(file=pdf("one.pdf")))
    resource = Resource.objects.get()
    first = resource.file.name
    client.post(url("resource_edit", "status", resource.pk),
                form_data(title="Flyer (new)", is_public=""))
    resource.refresh_from_db()
    assert (resource.title, resource.is_public, resource.file.name) == (
        "Flyer (new)", False, first)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("resource_edit", "status", resource.pk),
                    form_data(file=SimpleUploadedFile("two.png", b"\x89PNG....")))
    resource.refresh_from_db()
    assert resource.file.name.endswith("two.png")
    assert not (media / first).exists()
    assert AuditEntry.objects.filter(action="solidaire.resource.updated").count() == 2


def test_deleting_removes_the_resource_and_its_file(
        world, as_user, campaign, media, django_capture_on_commit_callbacks):
    client = as_user(world.montreal_organizer)
    client.post(url("resource_add", "status"), form_data(file=pdf()))
    resource = Resource.objects.get()
    path = media / resource.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("resource_edit", "status", resource.pk), {"delete": "1"})
    assert response.status_code == 302
    assert not Resource.objects.exists()
    assert not path.exists()
    assert AuditEntry.objects.filter(action="solidaire.resource.deleted").exists()


def test_out_of_scope_organizers_get_404_on_every_toolkit_page(world, as_user, campaign):
    resource = Resource.objects.create(campaign=campaign, kind="faq", title="FAQ",
                                       language="fr", url="https://example.org/faq")
    client = as_user(world.rimouski_organizer)
    for path in (url("resources", "status"), url("resource_add", "status"),
                 url("resource_edit", "status", resource.pk)):
        assert client.get(path).status_code == 404
    assert client.post(url("resource_edit", "status", resource.pk),
                       {"delete": "1"}).status_code == 404
    assert Resource.objects.exists()


def test_a_resource_of_another_campaign_is_not_reachable_through_this_one(
        world, as_user, campaign):
    other = CampaignFactory(organization=world.other, slug="elsewhere")
    resource = Resource.objects.create(campaign=other, kind="faq", title="FAQ",
                                       language="fr", url="https://example.org/faq")
    client = as_user(world.coordinator)
    assert client.get(url("resource_edit", "status", resource.pk)).status_code == 404


def test_a_volunteer_sees_an_organization_toolkit_but_cannot_change_it(world, as_user):
    CampaignFactory(organization=world.centre, slug="whole")
    client = as_user(world.volunteer)
    response = client.get(url("resources", "whole"))
    assert response.status_code == 200
    assert url("resource_add", "whole") not in response.content.decode()
    assert client.get(url("resource_add", "whole")).status_code == 404


def test_the_campaign_form_publishes_the_story_with_an_intro_per_language(
        world, as_user, campaign):
    client = as_user(world.coordinator)
    page = client.get(url("campaign_edit", "status")).content.decode()
    assert 'name="story_intro_fr"' in page and 'name="story_published"' in page
    data = {"title_fr": "Statut", "title_en": "Status", "slug": "status",
            "organization": "cti", "chapter": world.montreal.slug, "is_active": "on",
            "story_published": "on", "story_intro_fr": "Nous avons gagné.",
            "story_intro_en": "We won.", "demands_fr": "", "demands_en": ""}
    response = client.post(url("campaign_edit", "status"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    campaign.refresh_from_db()
    assert campaign.story_published is True
    assert campaign.story_intro == {"fr": "Nous avons gagné.", "en": "We won."}

"""The chapter tree, a chapter's page, and coordinators deciding on new chapters."""

import pytest

from solidaire.core.models import AuditEntry, OrganizerRole
from solidaire.membership.models import ChapterRequest
from solidaire.membership.services import chapter_request_submit
from solidaire.organizing.models import Chapter

from tests.factories import CommitteeFactory, PersonFactory, make_organizer
from tests.organize.conftest import url


def test_the_tree_shows_visible_chapters_with_people_counts(world, as_user):
    PersonFactory.create_batch(2, home_chapter=world.cdn)
    html = as_user(world.montreal_organizer).get(url("chapters")).content.decode()
    assert "Montréal" in html and "Côte-des-Neiges" in html
    assert "Bas-Saint-Laurent" not in html and "Toronto" not in html
    # Montréal: 1 person itself, 4 with Côte-des-Neiges (1 + 2 new).
    assert f'href="{url("people")}?chapter=montreal">4</a>' in html
    assert f'href="{url("people")}?chapter=cote-des-neiges">3</a>' in html


def test_the_coordinator_sees_the_whole_tree_of_the_organization(world, as_user):
    html = as_user(world.coordinator).get(url("chapters")).content.decode()
    for name in ("Québec", "Montréal", "Côte-des-Neiges", "Bas-Saint-Laurent"):
        assert name in html
    assert "Toronto" not in html


def test_a_chapter_page_shows_its_parent_children_committees_and_people(world, as_user):
    world.montreal.languages = ["fr", "es"]
    world.montreal.contact_email = "montreal@example.org"
    world.montreal.save()
    CommitteeFactory(organization=world.centre, chapter=world.montreal, name="Housing")
    html = as_user(world.coordinator).get(url("chapter_detail", "montreal")).content.decode()
    assert "Québec" in html and url("chapter_detail", "quebec") in html
    assert "Côte-des-Neiges" in html
    assert "Spanish" in html and "montreal@example.org" in html
    assert "Housing" in html
    assert f'{url("people")}?chapter=montreal' in html
    assert "2 people, with the chapters below" in html


def test_montreal_sees_its_parent_name_but_no_link(world, as_user):
    html = as_user(world.montreal_organizer).get(url("chapter_detail", "montreal")
                                                 ).content.decode()
    assert "Québec" in html
    assert url("chapter_detail", "quebec") not in html


@pytest.mark.parametrize("slug", ["quebec", "bas-saint-laurent", "toronto", "nowhere"])
def test_chapters_outside_the_scope_are_404(world, as_user, slug):
    response = as_user(world.montreal_organizer).get(url("chapter_detail", slug))
    assert response.status_code == 404


@pytest.fixture
def chapter_request(world):
    return chapter_request_submit(organization=world.centre, chapter_name="Sherbrooke",
                                  city="Sherbrooke", contact_name="Fatou",
                                  contact_email="fatou@example.org", message="We are ten.")


@pytest.mark.parametrize("user", ["montreal_organizer", "rimouski_organizer", "volunteer"])
def test_chapter_requests_do_not_exist_for_anyone_but_coordinators(world, as_user, user,
                                                                   chapter_request):
    client = as_user(getattr(world, user))
    assert client.get(url("chapter_requests")).status_code == 404
    assert client.get(url("chapter_request_detail", chapter_request.pk)).status_code == 404
    response = client.post(url("chapter_request_detail", chapter_request.pk),
                           {"decision": "decline"})
    assert response.status_code == 404
    chapter_request.refresh_from_db()
    assert chapter_request.status == ChapterRequest.Status.PENDING


def test_another_organizations_coordinator_cannot_see_the_request(world, as_user,
                                                                  chapter_request):
    other = make_organizer(role=OrganizerRole.Role.COORDINATOR, username="msu",
                           organization=world.other)
    client = as_user(other)
    assert client.get(url("chapter_requests")).status_code == 200
    assert client.get(url("chapter_request_detail", chapter_request.pk)).status_code == 404


def test_the_coordinator_home_counts_pending_requests(world, as_user, chapter_request):
    html = as_user(world.coordinator).get(url("home")).content.decode()
    assert '<span class="count">1</span>chapter request waiting for a decision' in html
    html = as_user(world.coordinator).get(url("chapter_requests")).content.decode()
    assert "Sherbrooke" in html and "Fatou" in html


def test_approving_a_request_creates_the_chapter(world, as_user, chapter_request):
    client = as_user(world.coordinator)
    html = client.get(url("chapter_request_detail", chapter_request.pk)).content.decode()
    assert "We are ten." in html
    response = client.post(url("chapter_request_detail", chapter_request.pk),
                           {"decision": "approve", "parent": "quebec", "kind": "city"})
    chapter = Chapter.objects.get(name="Sherbrooke")
    assert response.status_code == 302
    assert response["Location"] == url("chapter_detail", chapter.slug)
    assert Chapter.objects.get_parent(chapter) == world.quebec
    assert chapter.kind == "city"
    assert chapter.organization == world.centre
    chapter_request.refresh_from_db()
    assert chapter_request.status == ChapterRequest.Status.APPROVED
    assert chapter_request.decided_by == world.coordinator
    assert AuditEntry.objects.filter(action="solidaire.chapter_request.approved").exists()
    # Deciding twice does nothing more.
    response = client.post(url("chapter_request_detail", chapter_request.pk),
                           {"decision": "decline"})
    assert response.status_code == 302
    chapter_request.refresh_from_db()
    assert chapter_request.status == ChapterRequest.Status.APPROVED


def test_declining_a_request_creates_nothing(world, as_user, chapter_request):
    before = Chapter.objects.count()
    response = as_user(world.coordinator).post(
        url("chapter_request_detail", chapter_request.pk), {"decision": "decline"})
    assert response.status_code == 302
    chapter_request.refresh_from_db()
    assert chapter_request.status == ChapterRequest.Status.DECLINED
    assert Chapter.objects.count() == before


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "Select a valid choice."), ("fr", "Sélectionnez un choix valide."),
])
@pytest.mark.parametrize(("parent", "kind"), [
    ("toronto", "city"),  # another organization's chapter
    ("nowhere", "city"),
    ("quebec", "planet"),
])
def test_a_bad_approval_shows_the_error_and_creates_nothing(
    world, as_user, chapter_request, lang, message, parent, kind,
):
    before = Chapter.objects.count()
    response = as_user(world.coordinator).post(
        url("chapter_request_detail", chapter_request.pk, lang=lang),
        {"decision": "approve", "parent": parent, "kind": kind})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert message in html
    if kind == "city":
        assert '<option value="city" selected>' in html
    else:
        assert '<option value="quebec" selected>' in html
    assert Chapter.objects.count() == before
    chapter_request.refresh_from_db()
    assert chapter_request.status == ChapterRequest.Status.PENDING

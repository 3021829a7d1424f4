"""The issue-7 demo: the won campaign's public story, toolkits, audiences and a call list."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from solidaire.campaigns.models import Campaign, Milestone
from solidaire.core.activity_kinds import kinds
from solidaire.core.models import Activity, OrganizerRole
from solidaire.messaging.models import Audience, CallEntry, CallList

PEOPLE = 300


@pytest.fixture
def demo(db):
    call_command("demo-data", people=PEOPLE, seed=1, verbosity=0)


def test_the_won_campaign_tells_its_story_with_dated_milestones_in_order(demo):
    won = Campaign.objects.get(slug="fix-pgwp")
    assert won.story_published
    assert won.story_intro["fr"] and won.story_intro["en"]
    milestones = list(won.milestones.all())
    days = [m.happened_on for m in milestones]
    assert days == sorted(days)
    kinds = {m.kind for m in milestones}
    assert {Milestone.Kind.MEDIA, Milestone.Kind.LETTER, Milestone.Kind.MEETING,
            Milestone.Kind.COMMITMENT, Milestone.Kind.VICTORY} <= kinds
    assert milestones[-1].kind == Milestone.Kind.VICTORY
    assert milestones[-1].happened_on == datetime.date(2021, 1, 8)
    commitment = won.milestones.get(kind=Milestone.Kind.COMMITMENT)
    assert commitment.happened_on == datetime.date(2020, 12, 1)
    assert all(m.title.get("fr") and m.title.get("en") for m in milestones)


def test_media_milestones_name_the_stories_outlets_and_invent_no_links(demo):
    media = Milestone.objects.filter(kind=Milestone.Kind.MEDIA)
    assert {m.outlet for m in media} == {"CBC National", "Global News", "Toronto Star"}
    assert not Milestone.objects.exclude(url="").exists()


def test_the_won_campaign_and_the_current_one_publish_their_stories(demo):
    assert set(Campaign.objects.filter(story_published=True)
               .values_list("slug", flat=True)) == {
        "fix-pgwp", "statut-permanent-permis-expirants-2026"}


def test_the_home_page_card_of_the_current_campaign_opens_its_story(demo, client):
    for language in ("fr", "en"):
        with translation.override(language):
            home = client.get(reverse("public:home"))
            story_url = reverse("public:campaign_story",
                                kwargs={"slug": "statut-permanent-permis-expirants-2026"})
        assert f'href="{story_url}"' in home.content.decode()
        page = client.get(story_url)
        assert page.status_code == 200
        assert "2026" in page.content.decode()


def test_toolkits_hold_downloadable_files_in_several_languages(demo):
    won = Campaign.objects.get(slug="fix-pgwp")
    resources = list(won.resources.all())
    assert {r.language for r in resources} >= {"fr", "en", "tl"}
    assert {r.kind for r in resources} >= {"flyer", "faq", "backgrounder"}
    assert all(r.file and default_storage.exists(r.file.name) for r in resources)
    assert sum(r.download_count for r in resources) > 0
    iwc = Campaign.objects.get(slug="statut-permanent-permis-expirants-2026")
    assert {r.language for r in iwc.resources.all()} >= {"fr", "en", "es"}


def test_the_demo_has_a_volunteer_account_of_the_montreal_chapter(client, demo):
    volunteer = get_user_model().objects.get(username="volunteer")
    role = volunteer.organizer_role
    assert role.role == OrganizerRole.Role.VOLUNTEER
    assert not role.status_access and not volunteer.is_staff
    assert list(role.chapters.values_list("slug", flat=True)) == ["montreal"]
    assert client.login(username="volunteer", password="solidaire-demo")


def test_saved_audiences_and_a_call_list_for_the_volunteer(demo):
    audiences = Audience.objects.filter(organization__slug="iwc-cti")
    assert audiences.count() >= 2
    call_list = CallList.objects.get()
    assert call_list.audience in audiences and call_list.campaign.slug == (
        "statut-permanent-permis-expirants-2026")
    assert call_list.script["fr"] and call_list.script["en"]
    callers = set(call_list.assignments.values_list("caller__username", flat=True))
    assert "volunteer" in callers
    entries = CallEntry.objects.filter(assignment__call_list=call_list)
    assert entries.exists()
    montreal_path = call_list.chapter.path
    assert all(e.person.home_chapter.path.startswith(montreal_path)
               and e.person.consent_phone for e in entries.select_related("person__home_chapter"))


def test_each_call_outcome_has_its_ledger_row(demo):
    called = CallEntry.objects.exclude(outcome="")
    assert called.exists() and CallEntry.objects.filter(outcome="").exists()
    call_kinds = [k.value for k in kinds() if k.startswith("call.")]
    rows = Activity.objects.filter(kind__in=call_kinds)
    assert rows.count() == called.count()
    call_list = CallList.objects.get()
    for entry in called:
        row = rows.get(person_id=entry.person_id)
        assert row.kind == f"call.{entry.outcome}"
        # About the list, as `messaging.calls.entry_outcome_record` writes them.
        assert (row.object_type.model_class(), row.object_id) == (CallList, call_list.pk)
        assert row.campaign.slug == "statut-permanent-permis-expirants-2026"

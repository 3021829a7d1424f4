"""The campaign timeline: assembled from petitions, events and actions, plus milestones."""

import datetime

import pytest
from django.utils import timezone, translation

from solidaire.advocacy.models import CallReport, EmailSent
from solidaire.campaigns.models import Milestone, Publication
from solidaire.campaigns.timeline import TimelineItem, campaign_timeline, timeline_providers
from solidaire.core.access import scope_for
from solidaire.events.models import Event
from solidaire.petitions.models import Delivery, Signature

from tests.factories import (
    ActionFactory,
    CampaignFactory,
    EventFactory,
    PetitionFactory,
    RegistrationFactory,
    SeriesFactory,
    TargetFactory,
)


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


D = datetime.date


def sign(petition, n: int, *, when: datetime.datetime, status=Signature.Status.COUNTED):
    start = Signature.objects.count()
    rows = [Signature.objects.create(petition=petition, token=f"t{start + i}",
                                     contact_key=f"c{start + i}", name="Ana", language="fr",
                                     status=status) for i in range(n)]
    Signature.objects.filter(pk__in=[r.pk for r in rows]).update(created_at=when)


def calls(action, target, n: int, *, when, outcome=CallReport.Outcome.REACHED):
    start = CallReport.objects.count()
    rows = [CallReport.objects.create(action=action, target=target, token=f"k{start + i}",
                                      outcome=outcome) for i in range(n)]
    CallReport.objects.filter(pk__in=[r.pk for r in rows]).update(created_at=when)


def emails(action, target, n: int, *, when):
    rows = [EmailSent.objects.create(action=action, target=target, token=f"e{i}",
                                     method=EmailSent.Method.MAIL_APP, subject="S", body="B")
            for i in range(n)]
    EmailSent.objects.filter(pk__in=[r.pk for r in rows]).update(created_at=when)


@pytest.fixture
def fight(world):
    """A campaign with a petition (goal 3), a delivery, a held event, a call day, milestones."""
    campaign = CampaignFactory(organization=world.centre, slug="status-pour-tous")
    minister = TargetFactory(name="Marc Miller")
    petition = PetitionFactory(organization=world.centre, campaign=campaign, goal=3,
                               title={"fr": "Régularisation", "en": "Regularization"})
    type(petition).objects.filter(pk=petition.pk).update(created_at=at(D(2026, 1, 10)))
    sign(petition, 2, when=at(D(2026, 1, 12)))
    sign(petition, 1, when=at(D(2026, 1, 20)))  # the third: goal reached that day
    sign(petition, 5, when=at(D(2026, 2, 1)))
    Delivery.objects.create(petition=petition, target=minister, delivered_on=D(2026, 3, 1),
                            signature_count=1240)
    held = EventFactory(organization=world.centre, campaign=campaign,
                        title={"fr": "Grande marche", "en": "Big march"},
                        starts_at=at(D(2026, 2, 14), 14), ends_at=at(D(2026, 2, 14), 16))
    for _ in range(3):
        registration = RegistrationFactory(event=held)
        registration.attended_at = held.starts_at
        registration.save()
    RegistrationFactory(event=held)  # registered, did not come
    action = ActionFactory(organization=world.centre, campaign=campaign)
    calls(action, minister, 8, when=at(D(2026, 2, 20)))
    calls(action, minister, 4, when=at(D(2026, 2, 20)), outcome=CallReport.Outcome.MESSAGE)
    calls(action, minister, 3, when=at(D(2026, 2, 21)))  # a quiet day: not on the timeline
    Milestone.objects.create(campaign=campaign, kind=Milestone.Kind.MEDIA,
                             happened_on=D(2026, 1, 15), title={"en": "Le Devoir article"},
                             outlet="Le Devoir", url="https://example.org/article")
    Milestone.objects.create(campaign=campaign, kind=Milestone.Kind.MEETING,
                             happened_on=D(2026, 2, 25), title={"en": "Meeting the minister"},
                             is_public=False)
    return campaign, petition, held, action


def kinds(items):
    return [(item.date, item.kind) for item in items]


def test_every_app_registers_its_provider():
    names = {provider.__name__ for provider in timeline_providers()}
    assert {"petition_timeline", "event_timeline", "call_day_timeline"} <= names


def test_timeline_assembles_petitions_events_calls_and_milestones_in_date_order(world, fight):
    campaign, *_ = fight
    with translation.override("en"):
        items = campaign_timeline(campaign, user=world.coordinator)
    assert kinds(items) == [
        (D(2026, 1, 10), "petition.launched"),
        (D(2026, 1, 15), "milestone.media"),
        (D(2026, 1, 20), "petition.goal"),
        (D(2026, 2, 14), "event.held"),
        (D(2026, 2, 20), "calls.day"),
        (D(2026, 2, 25), "milestone.meeting"),
        (D(2026, 3, 1), "petition.delivered"),
    ]
    by_kind = {item.kind: item for item in items}
    assert all(isinstance(item, TimelineItem) for item in items)
    assert by_kind["petition.launched"].title == "Petition launched: Regularization"
    assert by_kind["petition.delivered"].detail == "1,240 signatures"
    assert "Marc Miller" in by_kind["petition.delivered"].title
    assert by_kind["event.held"].title == "Big march"
    assert by_kind["event.held"].detail == "3 attended"
    assert by_kind["calls.day"].detail == "12 calls, 4 messages left"
    assert by_kind["milestone.media"].outlet == "Le Devoir"
    assert by_kind["milestone.media"].link == "https://example.org/article"
    assert by_kind["petition.launched"].url == "/en/organize/petitions/" + \
        by_kind["petition.launched"].url.rsplit("/", 2)[-2] + "/"


def test_public_timeline_leaves_out_private_milestones_and_uses_public_addresses(fight):
    campaign, petition, held, _action = fight
    with translation.override("en"):
        items = campaign_timeline(campaign, public=True)
    assert "milestone.meeting" not in {item.kind for item in items}
    assert "milestone.media" in {item.kind for item in items}
    urls = {item.kind: item.url for item in items}
    assert urls["petition.launched"] == f"/en/petitions/{petition.slug}/"
    assert urls["event.held"] == f"/en/events/{held.slug}/"


def test_public_timeline_leaves_out_drafts_and_private_events(world):
    campaign = CampaignFactory(organization=world.centre)
    PetitionFactory(organization=world.centre, campaign=campaign, status=Publication.DRAFT)
    EventFactory(organization=world.centre, campaign=campaign,
                 starts_at=timezone.now() - datetime.timedelta(days=3),
                 ends_at=timezone.now() - datetime.timedelta(days=3, hours=-2),
                 visibility=Event.Visibility.PRIVATE)
    assert campaign_timeline(campaign, public=True) == []
    items = campaign_timeline(campaign, user=world.coordinator)
    assert [item.kind for item in items] == ["event.held"]


def test_events_not_yet_started_cancelled_or_draft_are_not_held(world):
    campaign = CampaignFactory(organization=world.centre)
    past = timezone.now() - datetime.timedelta(days=2)
    EventFactory(organization=world.centre, campaign=campaign)  # next week
    for status in (Event.Status.CANCELLED, Event.Status.DRAFT):
        EventFactory(organization=world.centre, campaign=campaign, status=status,
                     starts_at=past, ends_at=past + datetime.timedelta(hours=1))
    assert campaign_timeline(campaign, user=world.coordinator) == []


def test_an_event_of_a_campaign_series_counts(world):
    campaign = CampaignFactory(organization=world.centre)
    series = SeriesFactory(organization=world.centre, campaign=campaign)
    past = timezone.now() - datetime.timedelta(days=2)
    EventFactory(organization=world.centre, series=series, starts_at=past,
                 ends_at=past + datetime.timedelta(hours=1))
    items = campaign_timeline(campaign, user=world.coordinator)
    assert [item.kind for item in items] == ["event.held"]


def test_goal_not_reached_gives_no_goal_item_and_pending_counts_only_without_opt_in(world):
    campaign = CampaignFactory(organization=world.centre)
    confirmed = PetitionFactory(organization=world.centre, campaign=campaign, goal=2,
                                double_opt_in=True)
    plain = PetitionFactory(organization=world.centre, campaign=campaign, goal=2)
    for petition in (confirmed, plain):
        sign(petition, 2, when=at(D(2026, 4, 1)), status=Signature.Status.PENDING)
    goals = [item for item in campaign_timeline(campaign, user=world.coordinator)
             if item.kind == "petition.goal"]
    assert len(goals) == 1 and goals[0].date == D(2026, 4, 1)


def test_an_email_day_counts_calls_and_emails_together(world):
    campaign = CampaignFactory(organization=world.centre)
    action = ActionFactory(organization=world.centre, campaign=campaign, kind="email")
    target = TargetFactory()
    emails(action, target, 7, when=at(D(2026, 5, 3)))
    calls(action, target, 3, when=at(D(2026, 5, 3)))
    with translation.override("en"):
        [item] = campaign_timeline(campaign, user=world.coordinator)
    assert (item.kind, item.detail) == ("emails.day", "3 calls, 7 e-mails")


def test_timeline_queries_stay_bounded(world, django_assert_max_num_queries):
    campaign = CampaignFactory(organization=world.centre)
    target = TargetFactory()
    for n in range(4):
        petition = PetitionFactory(organization=world.centre, campaign=campaign, goal=2)
        sign(petition, 3, when=at(D(2026, 1, 1 + n)))
        for day in (5, 6):
            Delivery.objects.create(petition=petition, target=target,
                                    delivered_on=D(2026, 2, day), signature_count=3)
        past = timezone.now() - datetime.timedelta(days=n + 1)
        event = EventFactory(organization=world.centre, campaign=campaign, starts_at=past,
                             ends_at=past + datetime.timedelta(hours=1))
        RegistrationFactory(event=event)
        action = ActionFactory(organization=world.centre, campaign=campaign)
        calls(action, target, 10, when=at(D(2026, 3, 1 + n)))
        Milestone.objects.create(campaign=campaign, kind="letter", happened_on=D(2026, 1, 9),
                                 title={"en": f"Letter {n}"})
    scope_for(world.coordinator)  # computed once per request, before the room asks
    # milestones, petitions, goal dates, deliveries, events, calls, e-mails
    with django_assert_max_num_queries(7):
        items = campaign_timeline(campaign, user=world.coordinator)
    assert len(items) == 4 * 7  # launched, goal, 2 deliveries, event, call day, letter


@pytest.fixture
def two_chapters(world):
    """An organization-wide campaign with a petition, a held event and a busy call day in
    Montréal and the same in Bas-Saint-Laurent."""
    campaign = CampaignFactory(organization=world.centre)
    target = TargetFactory()
    past = timezone.now() - datetime.timedelta(days=2)
    for chapter, day in ((world.montreal, 1), (world.bsl, 2)):
        PetitionFactory(organization=world.centre, chapter=chapter, campaign=campaign,
                        title={"en": f"Petition {chapter.name}"})
        EventFactory(organization=world.centre, chapter=chapter, campaign=campaign,
                     title={"en": f"Event {chapter.name}"}, starts_at=past,
                     ends_at=past + datetime.timedelta(hours=1))
        action = ActionFactory(organization=world.centre, chapter=chapter, campaign=campaign)
        calls(action, target, 10, when=at(D(2026, 6, day)))
    return campaign


def titles(items):
    return {item.title for item in items}


def test_a_chapter_organizer_timeline_holds_only_their_chapters_items(world, two_chapters):
    with translation.override("en"):
        items = campaign_timeline(two_chapters, user=world.montreal_organizer)
    assert titles(items) == {"Petition launched: Petition Montréal", "Event Montréal",
                             "Call-in day"}
    assert [item.date for item in items if item.kind == "calls.day"] == [D(2026, 6, 1)]


def test_a_coordinator_and_the_public_story_hold_every_chapters_items(world, two_chapters):
    with translation.override("en"):
        mine = campaign_timeline(two_chapters, user=world.coordinator)
        public = campaign_timeline(two_chapters, public=True, user=world.montreal_organizer)
    for items in (mine, public):
        assert {"Petition launched: Petition Bas-Saint-Laurent", "Event Bas-Saint-Laurent",
                "Petition launched: Petition Montréal", "Event Montréal"} <= titles(items)
        assert len([item for item in items if item.kind == "calls.day"]) == 2


def test_an_organizer_timeline_without_the_organizer_is_refused(world, two_chapters):
    with pytest.raises(ValueError):
        campaign_timeline(two_chapters)

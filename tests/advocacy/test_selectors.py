"""Counting calls and e-mails, finding the supporter's representative, and scoping."""

import datetime

from django.utils import timezone

from solidaire.advocacy.models import CallReport, EmailSent
from solidaire.advocacy.selectors import (
    action_counts,
    actions_editable_by,
    actions_visible_to,
    open_action_for_campaign,
    targets_for_supporter,
)
from solidaire.campaigns.models import PostalPrefixRiding, Publication, Riding

from tests.factories import ActionFactory, CampaignFactory, TargetFactory, TargetOfficeFactory


def report(action, target, outcome, token, *, days_ago=0):
    row = CallReport.objects.create(action=action, target=target, outcome=outcome, token=token)
    if days_ago:
        CallReport.objects.filter(pk=row.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=days_ago))
    return row


def test_counts_are_per_outcome_per_target_and_per_day(world):
    action = ActionFactory(organization=world.centre)
    minister, assistant = TargetFactory(name="Minister"), TargetFactory(name="Assistant")
    report(action, minister, "message", "a")
    report(action, minister, "reached", "b")
    report(action, assistant, "message", "c", days_ago=2)
    report(action, assistant, "no_answer", "d", days_ago=30)  # outside the 14 days
    EmailSent.objects.create(action=action, target=minister, token="e", method="outbox",
                             subject="s", body="b")
    report(ActionFactory(organization=world.centre), minister, "message", "other-action")
    counts = action_counts(action)
    assert (counts.calls, counts.reached, counts.messages, counts.no_answer, counts.emails) == (
        4, 1, 2, 1, 1)
    assert counts.today == 3
    by_name = {row.name: row for row in counts.per_target}
    assert (by_name["Minister"].calls, by_name["Minister"].messages,
            by_name["Minister"].emails) == (2, 1, 1)
    assert (by_name["Assistant"].calls, by_name["Assistant"].no_answer) == (2, 1)
    assert len(counts.per_day) == 14
    today = timezone.localdate()
    assert counts.per_day[0].day == today
    assert (counts.per_day[0].calls, counts.per_day[0].emails) == (2, 1)
    assert counts.per_day[2].day == today - datetime.timedelta(days=2)
    assert counts.per_day[2].calls == 1
    assert sum(day.calls for day in counts.per_day) == 3


def test_riding_targeting_picks_the_representative_of_the_longest_prefix(world):
    north = Riding.objects.create(name="Papineau", level="federal")
    south = Riding.objects.create(name="Outremont", level="federal")
    provincial = Riding.objects.create(name="Laurier-Dorion", level="provincial")
    PostalPrefixRiding.objects.create(prefix="H2R", riding=north)
    PostalPrefixRiding.objects.create(prefix="H2R1", riding=south)
    PostalPrefixRiding.objects.create(prefix="H2R", riding=provincial)
    mp_north = TargetFactory(name="MP Papineau", kind="mp", riding=north)
    mp_south = TargetFactory(name="MP Outremont", kind="mp", riding=south)
    TargetOfficeFactory(target=mp_south)
    TargetFactory(name="MNA", kind="provincial_member", riding=provincial, level="provincial")
    fallback = TargetFactory(name="Minister")
    action = ActionFactory(organization=world.centre, targeting="riding")
    action.targets.set([fallback])
    assert targets_for_supporter(action, "h2r 1a1").targets == [mp_south]
    found = targets_for_supporter(action, "H2R 2B2")
    assert (found.targets, found.by_riding) == ([mp_north], True)
    missing = targets_for_supporter(action, "K1A 0A6")
    assert (missing.targets, missing.no_match) == ([fallback], True)


def test_without_a_prefix_table_the_listed_targets_are_the_fallback(world):
    fallback = TargetFactory(name="Minister")
    action = ActionFactory(organization=world.centre, targeting="riding")
    action.targets.set([fallback])
    found = targets_for_supporter(action, "H2R 1A1")
    assert found.no_match and found.targets == [fallback]


def test_chapter_actions_are_seen_and_run_in_scope_only(world):
    bsl = ActionFactory(organization=world.centre, chapter=world.bsl, slug="bsl")
    whole = ActionFactory(organization=world.centre, slug="whole")
    ActionFactory(organization=world.other, slug="msu")
    montreal = world.montreal_organizer
    assert set(actions_visible_to(montreal).values_list("slug", flat=True)) == {"whole"}
    assert not actions_editable_by(montreal).exists()
    assert set(actions_visible_to(world.coordinator).values_list("slug", flat=True)) == {
        "bsl", "whole"}
    assert set(actions_editable_by(world.coordinator)) == {bsl, whole}
    assert list(actions_visible_to(world.volunteer)) == [whole]
    assert not actions_editable_by(world.volunteer).exists()


def test_the_next_step_after_signing_is_the_campaigns_newest_open_action(world):
    campaign = CampaignFactory(organization=world.centre)
    older = ActionFactory(campaign=campaign, organization=world.centre)
    newest = ActionFactory(campaign=campaign, organization=world.centre)
    ActionFactory(campaign=campaign, organization=world.centre, status=Publication.DRAFT)
    ActionFactory(campaign=campaign, organization=world.centre, status=Publication.CLOSED)
    ActionFactory(campaign=CampaignFactory(organization=world.centre),
                  organization=world.centre)
    type(older).objects.filter(pk=older.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1))
    assert open_action_for_campaign(campaign.pk) == newest
    newest.status = Publication.CLOSED
    newest.save()
    assert open_action_for_campaign(campaign.pk) == older
    assert open_action_for_campaign(None) is None

"""The organizer home page: counts in scope and the people added last."""

import datetime
import re

from django.utils import timezone

from tests.factories import CampaignFactory, CommitteeFactory, EventFactory, PersonFactory
from tests.organize.conftest import url


def counts(html: str) -> list[str]:
    return re.findall(r'<span class="count">([^<]+)</span>', html)


def test_montreal_counts_only_its_scope(world, as_user):
    PersonFactory.create_batch(3, home_chapter=world.bsl)
    CommitteeFactory(organization=world.centre, chapter=world.montreal)
    CommitteeFactory(organization=world.centre, chapter=world.bsl)
    CampaignFactory(organization=world.centre)
    CampaignFactory(organization=world.centre, is_active=False)
    CampaignFactory(organization=world.other)
    html = as_user(world.montreal_organizer).get(url("home")).content.decode()
    # people, chapters, committees, active campaigns; no chapter requests for organizers
    assert counts(html) == ["2", "2", "1", "1"]
    assert "Ana Montréal" in html and "Carlos" not in html


def test_the_latest_ten_people_come_newest_first(world, as_user):
    PersonFactory.create_batch(12, home_chapter=world.montreal)
    newest = PersonFactory(chosen_name="Newest", home_chapter=world.cdn)
    html = as_user(world.montreal_organizer).get(url("home")).content.decode()
    rows = re.findall(r'href="/en/organize/people/(\d+)/"', html)
    assert len(rows) == 10
    assert rows[0] == str(newest.pk)


def test_a_volunteer_sees_no_people_numbers_only_their_door_work(world, as_user):
    tonight = timezone.now() + datetime.timedelta(hours=3)
    event = EventFactory(organization=world.centre, chapter=world.montreal, starts_at=tonight)
    EventFactory(organization=world.centre, chapter=world.bsl, slug="rimouski-assembly",
                 starts_at=tonight)
    html = as_user(world.volunteer).get(url("home")).content.decode()
    assert counts(html) == []
    assert "<svg" not in html and "Ana Montréal" not in html
    assert "/organize/charts/" not in html
    assert f'href="{url("call_lists")}"' in html
    assert f'href="{url("event_checkin", event.slug)}"' in html
    assert "rimouski-assembly" not in html


def test_the_counts_agree_with_their_numbers_in_both_languages(world, as_user, client):
    CommitteeFactory(organization=world.centre, chapter=world.montreal)
    CampaignFactory(organization=world.centre)
    organizer = as_user(world.montreal_organizer)
    english = organizer.get(url("home")).content.decode()
    assert '2</span>chapters</a>' in english
    assert '1</span>committee</a>' in english and '1</span>active campaign</a>' in english
    french = organizer.get(url("home").replace("/en/", "/fr/", 1)).content.decode()
    assert '2</span>sections</a>' in french
    assert '1</span>comité</a>' in french and '1</span>campagne active</a>' in french

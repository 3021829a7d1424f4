"""The organizer dashboard's charts: scoped counts, tables, CSV downloads, date range."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from solidaire.advocacy.activities import TARGET_CALLED
from solidaire.core.models import Activity
from solidaire.events.activities import EVENT_ATTENDED, EVENT_REGISTERED
from solidaire.events.models import Registration
from solidaire.membership.activities import COMMITTEE_JOINED
from solidaire.people.activities import PERSON_CREATED
from solidaire.petitions.activities import PETITION_SIGNED
from solidaire.petitions.models import Signature

from tests.factories import EventFactory, PersonFactory, PetitionFactory, make_chapter
from tests.organize.conftest import url

# Four weeks, Monday 5 January to Sunday 1 February 2026.
RANGE = {"from": "2026-01-05", "to": "2026-02-01"}
WEEKS = ["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"]


def at(day: str, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(day).replace(hour=hour))


def person(chapter, created: str, **fields):
    return PersonFactory(home_chapter=chapter, created_at=at(created), **fields)


def did(who, kind, day: str, times: int = 1):
    for _ in range(times):
        Activity.objects.create(person=who, kind=kind, occurred_at=at(day))


def signed(petition, who, day: str):
    signature = Signature.objects.create(
        petition=petition, person=who, token=f"t-{petition.pk}-{who.pk}",
        contact_key=f"k-{petition.pk}-{who.pk}", status=Signature.Status.COUNTED,
        name=who.chosen_name, language="fr")
    Signature.objects.filter(pk=signature.pk).update(created_at=at(day))


@pytest.fixture
def activity(world):
    """People and what they did in Montréal (and Côte-des-Neiges), Rimouski and Toronto."""
    d = world
    d.ana = person(world.montreal, "2026-01-06")
    d.ben = person(world.montreal, "2026-01-07")
    d.cleo = person(world.cdn, "2026-01-13", preferred_language="en")
    d.dan = person(world.bsl, "2026-01-08")
    d.eli = person(world.toronto, "2026-01-09")
    did(d.ana, PERSON_CREATED, "2026-01-06")  # not an action
    did(d.ana, PETITION_SIGNED, "2026-01-06", times=2)
    did(d.ana, EVENT_ATTENDED, "2026-01-20")
    did(d.ben, EVENT_REGISTERED, "2026-01-27", times=4)
    did(d.cleo, TARGET_CALLED, "2026-01-14")
    did(d.dan, PETITION_SIGNED, "2026-01-08")
    did(d.eli, PETITION_SIGNED, "2026-01-09")
    # An organization-wide petition of the centre: every organizer of the centre sees it.
    d.petition = PetitionFactory(organization=world.centre, goal=50,
                                 title={"fr": "Régularisation", "en": "Status for all"})
    signed(d.petition, d.ben, "2025-12-01")   # before the range: the running total's start
    signed(d.petition, d.ana, "2026-01-06")
    signed(d.petition, d.cleo, "2026-01-14")
    signed(d.petition, d.dan, "2026-01-08")
    signed(d.petition, d.eli, "2026-01-09")
    # A Montréal event: Dan (Rimouski) and Eli (Toronto) came too.
    event = EventFactory(organization=world.centre, chapter=world.montreal, province="QC",
                         starts_at=at("2026-01-20", 18), ends_at=at("2026-01-20", 20))
    for who in (d.ana, d.cleo, d.dan, d.eli):
        Registration.objects.create(event=event, person=who, language="fr",
                                    attended_at=at("2026-01-20", 18))
    Registration.objects.create(event=event, person=d.ben, language="fr")  # did not come
    return d


def csv_rows(client, name: str, query=RANGE) -> list[list[str]]:
    response = client.get(url("chart_csv", name), query)
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_montreal_charts_and_csvs_count_only_montreal_scope_people(activity, as_user):
    client = as_user(activity.montreal_organizer)
    assert csv_rows(client, "new-people")[1:] == [[WEEKS[0], "2"], [WEEKS[1], "1"],
                                                  [WEEKS[2], "0"], [WEEKS[3], "0"]]
    actions = csv_rows(client, "actions")
    assert actions[0] == ["Week starting", "Signed a petition", "Called a decision-maker",
                          "Registered for an event", "Attended an event", "Total"]
    assert actions[1:] == [[WEEKS[0], "2", "0", "0", "0", "2"],
                           [WEEKS[1], "0", "1", "0", "0", "1"],
                           [WEEKS[2], "0", "0", "0", "1", "1"],
                           [WEEKS[3], "0", "0", "4", "0", "4"]]
    assert csv_rows(client, "signatures")[1:] == [
        ["Status for all", WEEKS[0], "2", "50"], ["Status for all", WEEKS[1], "3", "50"],
        ["Status for all", WEEKS[2], "3", "50"], ["Status for all", WEEKS[3], "3", "50"]]
    assert csv_rows(client, "attendance")[1:] == [["Quebec", "1", "2"]]
    assert csv_rows(client, "languages")[1:] == [["French", "2"], ["English", "1"]]
    assert csv_rows(client, "chapters")[1:] == [["Montréal", "2"], ["Côte-des-Neiges", "1"]]
    assert csv_rows(client, "ladder")[1:] == [["1 action", "1"], ["2–3 actions", "1"],
                                              ["4 or more actions", "1"]]


def test_the_montreal_tables_show_the_same_numbers(activity, as_user):
    html = as_user(activity.montreal_organizer).get(url("home"), RANGE).content.decode()
    assert f'<th scope="row">{WEEKS[0]}</th><td class="number">2</td>' in html
    assert '<th scope="row">Quebec</th><td class="number">1</td><td class="number">2</td>' in html
    assert '<th scope="row">4 or more actions</th><td class="number">1</td>' in html
    assert "Bas-Saint-Laurent</th>" not in html and "Toronto</th>" not in html


def test_the_coordinator_counts_the_whole_centre(activity, as_user):
    client = as_user(activity.coordinator)
    assert [r[1] for r in csv_rows(client, "new-people")[1:]] == ["3", "1", "0", "0"]
    assert csv_rows(client, "actions")[1][-1] == "3"  # Dan's signature counts; Eli's does not
    assert [r[2] for r in csv_rows(client, "signatures")[1:]] == ["3", "4", "4", "4"]
    assert csv_rows(client, "attendance")[1:] == [["Quebec", "1", "3"]]
    assert csv_rows(client, "languages")[1:] == [["French", "3"], ["English", "1"]]
    assert csv_rows(client, "ladder")[1:] == [["1 action", "2"], ["2–3 actions", "1"],
                                              ["4 or more actions", "1"]]


def test_the_rimouski_organizer_sees_only_rimouski(activity, as_user):
    client = as_user(activity.rimouski_organizer)
    assert [r[1] for r in csv_rows(client, "new-people")[1:]] == ["1", "0", "0", "0"]
    assert csv_rows(client, "attendance")[1:] == []  # the Montréal event is not theirs
    assert csv_rows(client, "chapters")[1:] == [["Bas-Saint-Laurent", "1"]]


def test_csv_cells_that_look_like_formulas_are_neutralized(world, as_user):
    tricky = make_chapter(organization=world.centre, name="=HYPERLINK(1)", parent=world.montreal)
    person(tricky, "2026-01-06")
    response = as_user(world.montreal_organizer).get(url("chart_csv", "chapters"), RANGE)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="chapters-2026-01-05-2026-02-01.csv"' in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    assert "'=HYPERLINK(1),1" in response.content.decode()


def test_each_chart_is_an_accessible_svg_with_a_csv_link(activity, as_user):
    html = as_user(activity.montreal_organizer).get(url("home"), RANGE).content.decode()
    for name in ("new-people", "actions", "signatures", "attendance", "languages",
                 "chapters", "ladder"):
        assert (f'<svg class="chart" role="img" aria-labelledby="chart-{name}-title '
                f'chart-{name}-desc"') in html
        assert f'href="/en/organize/charts/{name}.csv?from=2026-01-05&amp;to=2026-02-01"' in html
    assert '<title id="chart-new-people-title">New people per week</title>' in html
    assert 'stroke-dasharray="6 4"' in html  # the petition's goal
    assert "<caption>Engagement ladder</caption>" in html
    assert "style=" not in html.split("<main", 1)[-1]


def test_the_default_range_is_the_last_26_weeks(world, as_user):
    html = as_user(world.montreal_organizer).get(url("home")).content.decode()
    today = timezone.localdate()
    start = today - datetime.timedelta(weeks=26) + datetime.timedelta(days=1)
    assert f'value="{start.isoformat()}"' in html and f'value="{today.isoformat()}"' in html
    assert "Last 4 weeks" in html and "Last year" in html


def test_a_reversed_range_is_refused_with_a_message_keeping_the_dates(world, as_user):
    client = as_user(world.montreal_organizer)
    html = client.get(url("home"), {"from": "2026-03-01", "to": "2026-02-01"}).content.decode()
    assert "The start date must be on or before the end date." in html
    assert 'value="2026-03-01"' in html and 'value="2026-02-01"' in html
    response = client.get(url("chart_csv", "new-people"),
                          {"from": "2026-03-01", "to": "2026-02-01"})
    assert response.status_code == 400


def test_a_date_that_is_not_a_date_is_refused(world, as_user):
    html = as_user(world.montreal_organizer).get(
        url("home"), {"from": "2026-13-45", "to": "2026-02-01"}).content.decode()
    assert "Enter a valid date." in html and 'value="2026-13-45"' in html


def test_a_range_longer_than_three_years_is_refused(world, as_user):
    html = as_user(world.montreal_organizer).get(
        url("home"), {"from": "2010-01-01", "to": "2026-02-01"}).content.decode()
    assert "Choose a range of at most three years." in html


def test_an_unknown_chart_is_not_found(world, as_user):
    response = as_user(world.coordinator).get(url("chart_csv", "salaries"))
    assert response.status_code == 404


def test_a_volunteer_cannot_download_chart_data(activity, as_user):
    response = as_user(activity.volunteer).get(url("chart_csv", "new-people"), RANGE)
    assert response.status_code == 404


def test_the_home_page_query_count_does_not_grow_with_data(activity, as_user,
                                                          django_assert_max_num_queries):
    client = as_user(activity.coordinator)
    for i in range(30):
        who = person(activity.montreal, "2026-01-15", chosen_name=f"Extra {i}")
        did(who, COMMITTEE_JOINED, "2026-01-16")
    with django_assert_max_num_queries(24):
        assert client.get(url("home"), RANGE).status_code == 200



def test_the_french_home_page_renders_the_range_dates_in_iso_for_the_date_inputs(world,
                                                                                 as_user):
    # A date input only takes YYYY-MM-DD: "05/01/2026" would show an empty field, and
    # changing the other date alone would then move this one.
    html = as_user(world.montreal_organizer).get(url("home", lang="fr")).content.decode()
    today = timezone.localdate()
    start = today - datetime.timedelta(weeks=26) + datetime.timedelta(days=1)
    assert f'type="date" name="from" value="{start.isoformat()}"' in html
    assert f'type="date" name="to" value="{today.isoformat()}"' in html

"""The audit trail page: coordinators only, filters, scope of entries and links."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from solidaire.core.models import AuditEntry, OrganizerRole
from solidaire.core.services import audit_log
from solidaire.organize.views.audit import ENTRIES_PER_PAGE

from tests.factories import make_organizer
from tests.organize.conftest import translated, url


@pytest.fixture
def trail(world):
    """Entries by the centre's organizers, by an organizer of the other organization, and
    without an actor."""
    toronto = make_organizer(role=OrganizerRole.Role.CHAPTER_ORGANIZER, username="toronto",
                             chapters=[world.toronto])
    audit_log(action="solidaire.person.changed", actor=world.montreal_organizer,
              obj=world.in_montreal, data={"fields": ["chosen_name"]})
    audit_log(action="solidaire.person.changed", actor=world.rimouski_organizer,
              obj=world.in_bsl, data={"fields": ["city"]})
    audit_log(action="solidaire.chapter.changed", actor=toronto, obj=world.toronto,
              data={"fields": ["city"]})
    audit_log(action="solidaire.auth.login_failed", obj=world.montreal_organizer,
              data={"username": "montreal", "ip": "203.0.113.5"})
    audit_log(action="solidaire.auth.login_failed",
              data={"username": "intruder-typed-this", "ip": "198.51.100.1"})
    return toronto


def page(client, lang="en", **params):
    response = client.get(url("audit", lang=lang), params)
    assert response.status_code == 200
    return response.content.decode()


def superuser():
    return get_user_model().objects.create_superuser("root", "root@example.org", "x")


# -- who sees the page -------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["montreal_organizer", "rimouski_organizer", "volunteer"])
def test_the_page_is_404_for_anyone_but_a_coordinator(world, as_user, who):
    assert as_user(getattr(world, who)).get(url("audit")).status_code == 404


def test_the_page_asks_a_visitor_to_log_in(db, client):
    response = client.get(url("audit"))
    assert response.status_code == 302
    assert url("login") in response["Location"]


def test_the_coordinators_nav_links_to_the_page(world, as_user):
    assert url("audit") in page(as_user(world.coordinator))
    assert url("audit") not in as_user(world.montreal_organizer).get(url("home")).content.decode()


# -- what a coordinator sees -------------------------------------------------------------------

def test_a_coordinator_of_one_organization_sees_its_accounts_entries_only(
    world, trail, as_user,
):
    html = page(as_user(world.coordinator))
    assert "montreal" in html and "rimouski" in html
    # The failed login aimed at one of the centre's accounts is theirs to see.
    assert "203.0.113.5" in html
    # Another organization's organizer, and a username that matches nobody, are not.
    assert "toronto" not in html.lower().replace(url("home"), "")
    assert "intruder-typed-this" not in html
    assert "198.51.100.1" not in html


def test_a_coordinator_of_every_organization_sees_the_whole_trail(world, trail, as_user):
    html = page(as_user(superuser()))
    for text in ("montreal", "rimouski", "toronto", "intruder-typed-this", "198.51.100.1"):
        assert text in html


def test_entries_show_newest_first_with_labels_and_details(world, trail, as_user):
    html = page(as_user(world.coordinator))
    assert html.index("Failed login") < html.index("Person changed")
    assert "solidaire.person.changed" in html
    assert "Fields: chosen_name" in html
    assert "IP address: 203.0.113.5" in html


def test_an_unlabelled_action_shows_its_dotted_name(world, as_user):
    audit_log(action="solidaire.something.new", actor=world.coordinator)
    assert "solidaire.something.new" in page(as_user(world.coordinator))


def test_labels_follow_the_page_language(world, trail, as_user):
    html = page(as_user(world.coordinator), lang="fr")
    assert translated("fr", "Person changed") in html
    assert translated("fr", "Audit trail") in html


def test_objects_in_scope_link_to_their_page_others_show_their_number(world, as_user):
    montreal = make_organizer(role=OrganizerRole.Role.COORDINATOR, username="montreal-coord",
                              organization=world.centre)
    audit_log(action="solidaire.person.changed", actor=montreal, obj=world.in_montreal)
    audit_log(action="solidaire.person.changed", actor=montreal, obj=world.in_toronto)
    audit_log(action="solidaire.chapter.changed", actor=montreal, obj=world.montreal)
    html = page(as_user(world.coordinator))
    assert url("person_detail", pk=world.in_montreal.pk) in html
    assert url("chapter_detail", slug="montreal") in html
    assert url("person_detail", pk=world.in_toronto.pk) not in html
    assert f"Person #{world.in_toronto.pk}" in html


def test_accounts_show_their_username(world, as_user):
    audit_log(action="solidaire.organizer_role.changed", actor=world.coordinator,
              obj=world.volunteer, data={"fields": ["role"]})
    assert "Account volunteer" in page(as_user(world.coordinator))


# -- filters -----------------------------------------------------------------------------------

def test_filter_by_the_start_of_an_action_name(world, trail, as_user):
    html = page(as_user(world.coordinator), action="solidaire.auth.")
    assert "203.0.113.5" in html
    assert "chosen_name" not in html


def test_filter_by_account_shows_what_it_did_and_what_was_done_to_it(world, trail, as_user):
    html = page(as_user(world.coordinator), account="montreal")
    assert "chosen_name" in html          # what montreal did
    assert "203.0.113.5" in html          # the failed login aimed at montreal
    assert "Fields: city" not in html     # what rimouski did


def test_filter_by_account_finds_failed_logins_for_unknown_usernames(world, trail, as_user):
    html = page(as_user(superuser()), account="intruder-typed-this")
    assert "198.51.100.1" in html
    assert "chosen_name" not in html


def test_filter_by_dates_includes_both_days(world, as_user):
    audit_log(action="solidaire.test.old", actor=world.coordinator)
    # Entries cannot be moved in time: write one with its date.
    then = timezone.now() - datetime.timedelta(days=10)
    AuditEntry.objects.create(action="solidaire.test.ten_days_ago", actor=world.coordinator,
                              at=then)
    today = timezone.localdate()
    client = as_user(world.coordinator)
    html = page(client, date_from=today.isoformat(), date_to=today.isoformat())
    assert "solidaire.test.old" in html
    assert "solidaire.test.ten_days_ago" not in html
    ten_days_ago = timezone.localtime(then).date().isoformat()
    html = page(client, date_from=ten_days_ago, date_to=ten_days_ago)
    assert "solidaire.test.ten_days_ago" in html
    assert "solidaire.test.old" not in html


def test_filter_by_the_kind_of_object(world, trail, as_user):
    html = page(as_user(world.coordinator), object_type="people.person")
    assert "chosen_name" in html
    assert "203.0.113.5" not in html


@pytest.mark.parametrize(("lang", "params", "message", "kept"), [
    ("en", {"action": "DROP TABLE;"}, "An action name has only small letters, digits, "
     "dots and underscores, e.g. solidaire.person.", 'value="DROP TABLE;"'),
    ("fr", {"date_from": "2026-13-45"}, "Enter a valid date.", 'value="2026-13-45"'),
    ("en", {"date_from": "2026-05-10", "date_to": "2026-05-01"},
     "The end date comes before the start date.", 'value="2026-05-01"'),
    ("fr", {"object_type": "core.secret", "account": "montreal"},
     "Select a valid choice. %(value)s is not one of the available choices.",
     'value="montreal"'),
])
def test_bad_filters_say_why_and_keep_what_was_typed(world, trail, as_user, lang, params,
                                                     message, kept):
    html = page(as_user(world.coordinator), lang=lang, **params)
    assert translated(lang, message, **({"value": "core.secret"} if "%(" in message else {}))\
        in html
    assert kept in html
    # The valid filters still apply and the list still shows.
    assert "chosen_name" in html


# -- paging and queries ------------------------------------------------------------------------

def test_older_and_newer_pages_walk_the_whole_trail(world, as_user):
    for n in range(ENTRIES_PER_PAGE + 5):
        audit_log(action=f"solidaire.test.n{n:03d}", actor=world.coordinator)
    client = as_user(world.coordinator)
    first = client.get(url("audit"), {"action": "solidaire.test."})
    html = first.content.decode()
    assert f"solidaire.test.n{ENTRIES_PER_PAGE + 4:03d}" in html
    assert "solidaire.test.n004" not in html
    assert "Older entries" in html and "Newer entries" not in html
    older = first.context["older"]
    second = client.get(url("audit"), {"action": "solidaire.test.", "before": older})
    html = second.content.decode()
    assert "solidaire.test.n004" in html and "solidaire.test.n000" in html
    assert f"solidaire.test.n{ENTRIES_PER_PAGE + 4:03d}" not in html
    assert "Newer entries" in html and "Older entries" not in html
    back = client.get(url("audit"), {"action": "solidaire.test.",
                                     "after": second.context["newer"]})
    assert [row.entry.action for row in back.context["rows"]] == [
        row.entry.action for row in first.context["rows"]]


def test_a_bad_page_cursor_shows_the_first_page(world, trail, as_user):
    assert "chosen_name" in page(as_user(world.coordinator), before="x'--")


def test_the_page_query_count_does_not_grow_with_the_entries(
    world, trail, as_user, django_assert_max_num_queries,
):
    def add_one_of_each_kind():
        audit_log(action="solidaire.person.changed", actor=world.montreal_organizer,
                  obj=world.in_cdn)
        audit_log(action="solidaire.chapter.changed", actor=world.coordinator,
                  obj=world.montreal)
        audit_log(action="solidaire.organizer_role.changed", actor=world.coordinator,
                  obj=world.volunteer)
        audit_log(action="solidaire.demo.loaded")

    client = as_user(world.coordinator)
    add_one_of_each_kind()
    with django_assert_max_num_queries(16) as few:
        page(client)
    for _n in range(20):
        add_one_of_each_kind()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert page(client).count("<tr>") > 40


# -- what the details say ----------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "labels"), [
    ("en", ["Added: 4", "New people: 2", "Some later count: 1"]),
    ("fr", ["Ajouts\u00a0: 4", "Nouvelles personnes\u00a0: 2", "Some later count\u00a0: 1"]),
])
def test_details_show_labels_not_the_keys_the_code_writes(world, as_user, lang, labels):
    audit_log(action="solidaire.event.attendance_imported", actor=world.coordinator,
              data={"created": 4, "new_people": 2, "some_later_count": 1})

    html = page(as_user(world.coordinator), lang=lang)

    assert "created: 4" not in html and "new_people" not in html and "some_later" not in html
    for label in labels:
        assert f"<li>{label}</li>" in html

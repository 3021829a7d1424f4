"""The public event pages: the list, an event and its registration form, a person's own
registration page and series pages, as people on a phone would use them."""

import datetime
import re

import pytest
from django.utils import timezone

from solidaire.events.models import Event, Registration
from solidaire.people.models import EmailAddress

from tests.factories import EventFactory, RegistrationFactory, SeriesFactory

KEY = re.compile(r'name="key" value="([^"]+)"')


@pytest.fixture
def event(world):
    return EventFactory(organization=world.centre, chapter=world.montreal, slug="info-session",
                        kind=Event.Kind.INFO_SESSION,
                        title={"fr": "Séance d'information", "en": "Information session"},
                        accessibility={"fr": "Accès sans marches", "en": "Step-free access"},
                        languages=["fr", "es"], interpretation=["en"])


def page_key(client, event, lang="en", query=""):
    response = client.get(f"/{lang}/events/{event.slug}/{query}")
    assert response.status_code == 200
    return KEY.search(response.content.decode()).group(1)


def register(client, event, lang="en", key=None, query="", **fields):
    data = {"chosen_name": "Amina Diallo", "email": "amina@example.org", "phone": "",
            "postal_code": "", "language": lang, "key": key or page_key(client, event, lang,
                                                                        query)}
    data.update(fields)
    return client.post(f"/{lang}/events/{event.slug}/", data)


def text(response) -> str:
    return response.content.decode()


# --- The list ---------------------------------------------------------------------------

def test_the_list_shows_upcoming_public_events_in_the_readers_language(client, event, world):
    EventFactory(organization=world.centre, slug="draft", status=Event.Status.DRAFT,
                 title={"en": "Draft meeting"})
    EventFactory(organization=world.centre, slug="members", visibility=Event.Visibility.MEMBERS,
                 title={"en": "Members meeting"})
    EventFactory(organization=world.centre, slug="private", visibility=Event.Visibility.PRIVATE,
                 title={"en": "Private meeting"})
    past = timezone.now() - datetime.timedelta(days=2)
    EventFactory(organization=world.centre, slug="past", starts_at=past,
                 ends_at=past + datetime.timedelta(hours=1), title={"en": "Past meeting"})
    french = text(client.get("/fr/events/"))
    assert "Séance d&#x27;information" in french
    english = text(client.get("/en/events/"))
    assert "Information session" in english
    for hidden in ("Draft meeting", "Members meeting", "Private meeting", "Past meeting"):
        assert hidden not in english
    assert 'href="/en/events/feed.ics"' in english


def test_the_list_gives_the_local_time_in_the_events_time_zone(client, world):
    start = datetime.datetime(2031, 3, 4, 18, 30, tzinfo=datetime.UTC)  # 10:30 in Vancouver
    EventFactory(organization=world.centre, slug="vancouver", time_zone="America/Vancouver",
                 starts_at=start, ends_at=start + datetime.timedelta(hours=2), city="Vancouver",
                 province="BC", title={"en": "Vancouver rally"})
    english = text(client.get("/en/events/"))
    assert "10:30 a.m." in english and "Vancouver" in english
    french = text(client.get("/fr/events/"))
    assert "10:30" in french and "mardi 4 mars 2031" in french


def test_an_online_event_reads_online_instead_of_a_city(client, world):
    EventFactory(organization=world.centre, slug="webinar", format=Event.Format.ONLINE,
                 venue="", address="", city="", province="", title={"en": "Webinar"})
    html = text(client.get("/en/events/"))
    assert re.search(r"Webinar</a>.*?Online", html, re.S)


@pytest.fixture
def many(world):
    soon = timezone.now() + datetime.timedelta(days=3)
    later = timezone.now() + datetime.timedelta(days=40)
    EventFactory(organization=world.centre, slug="mtl-rally", kind=Event.Kind.RALLY,
                 title={"en": "Montreal rally"}, starts_at=soon,
                 ends_at=soon + datetime.timedelta(hours=2), languages=["fr"])
    EventFactory(organization=world.centre, slug="qc-assembly", kind=Event.Kind.ASSEMBLY,
                 title={"en": "Quebec City assembly"}, city="Québec", starts_at=later,
                 ends_at=later + datetime.timedelta(hours=2), languages=["fr"],
                 interpretation=["es"])
    EventFactory(organization=world.centre, slug="to-meeting", title={"en": "Toronto meeting"},
                 city="Toronto", province="ON", languages=["en", "tl"])
    EventFactory(organization=world.centre, slug="webinar", format=Event.Format.ONLINE,
                 kind=Event.Kind.INFO_SESSION, city="", province="", venue="", address="",
                 title={"en": "Online info session"}, languages=["es"])
    return world


def titles(html: str) -> set[str]:
    names = {"Montreal rally", "Quebec City assembly", "Toronto meeting", "Online info session"}
    return {name for name in names if name in html}


@pytest.mark.parametrize(("query", "expected"), [
    ("region=ON", {"Toronto meeting"}),
    ("region=QC", {"Montreal rally", "Quebec City assembly"}),
    ("region=online", {"Online info session"}),
    ("city=Québec", {"Quebec City assembly"}),
    ("city=toronto", set()),  # not one of the choices: the filter says so, nothing matches
    ("kind=rally", {"Montreal rally"}),
    ("language=es", {"Quebec City assembly", "Online info session"}),  # interpretation too
    ("language=tl", {"Toronto meeting"}),
])
def test_the_list_filters_by_region_city_kind_and_language(client, many, query, expected):
    html = text(client.get(f"/en/events/?{query}"))
    if query == "city=toronto":
        assert "Select a valid choice" in html
        return
    assert titles(html) == expected


def test_the_date_filter_shows_events_from_that_day_on(client, many):
    day = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    html = text(client.get(f"/en/events/?date={day}"))
    assert titles(html) == {"Quebec City assembly"}
    assert f'value="{day}"' in html  # the filter keeps what was chosen


def test_filters_that_match_nothing_say_so_and_offer_all_events(client, many):
    html = text(client.get("/en/events/?region=YT"))
    assert "No upcoming event matches these filters." in html
    assert 'href="/en/events/">All events' in html


def test_the_list_is_paginated_and_the_pages_keep_the_filters(client, world):
    start = timezone.now() + datetime.timedelta(days=2)
    for n in range(35):
        EventFactory(organization=world.centre, slug=f"e{n}", kind=Event.Kind.RALLY,
                     starts_at=start + datetime.timedelta(hours=n),
                     ends_at=start + datetime.timedelta(hours=n + 1))
    first = text(client.get("/en/events/?kind=rally"))
    assert first.count('class="event-item"') == 30
    assert "Page 1 of 2" in first
    assert 'href="?kind=rally&amp;page=2"' in first
    second = text(client.get("/en/events/?kind=rally&page=2"))
    assert second.count('class="event-item"') == 5


def test_the_list_costs_the_same_few_queries_for_30_events_as_for_one(
        client, world, django_assert_max_num_queries):
    start = timezone.now() + datetime.timedelta(days=2)
    for n in range(30):
        EventFactory(organization=world.centre, slug=f"e{n}", languages=["fr", "es"],
                     starts_at=start + datetime.timedelta(hours=n),
                     ends_at=start + datetime.timedelta(hours=n + 1))
    with django_assert_max_num_queries(5):
        assert client.get("/en/events/").status_code == 200


# --- An event ---------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "expected"), [
    ("fr", ["Séance d&#x27;information", "Accès sans marches", "Français, Espagnol", "Anglais",
            "Montréal", "Votre nom"]),
    ("en", ["Information session", "Step-free access", "French, Spanish", "English",
            "Centre communautaire", "Register", "Montréal time ("]),
])
def test_the_event_page_shows_what_when_where_languages_and_the_form(client, event, lang,
                                                                      expected):
    response = client.get(f"/{lang}/events/info-session/")
    assert response.status_code == 200
    html = text(response)
    for fragment in expected:
        assert fragment in html, fragment
    assert "Montréal" in html  # the hosting chapter
    assert 'name="robots"' not in html
    assert "private" in response["Cache-Control"]  # a form key of its own: no shared copy


def test_the_event_page_names_cosponsors_and_links_to_its_series(client, event, world):
    series = SeriesFactory(organization=world.centre, slug="status-week",
                           title={"en": "Status for all week"})
    event.series = series
    event.save()
    event.cosponsors.add(world.other)
    html = text(client.get("/en/events/info-session/"))
    assert "Migrant Students United" in html
    assert 'href="/en/events/series/status-week/"' in html


def test_an_unknown_or_draft_event_is_not_found(client, event):
    assert client.get("/en/events/nothing-here/").status_code == 404
    event.status = Event.Status.DRAFT
    event.save()
    assert client.get("/en/events/info-session/").status_code == 404


def test_consent_boxes_are_unticked_and_the_language_is_the_readers(client, event):
    html = text(client.get("/fr/events/info-session/"))
    for name in ("consent_email", "consent_sms"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert "checked" not in tag
    assert re.search(r'<option value="fr" selected>', html)


def test_every_visit_gets_its_own_form_key(client, event):
    assert page_key(client, event) != page_key(client, event)


def test_a_form_without_contact_keeps_what_was_typed_with_a_clear_message(client, event):
    response = register(client, event, email="", postal_code="H2X 1Y4", consent_email="on")
    assert response.status_code == 400
    html = text(response)
    assert "Give an e-mail address or a phone number" in html
    assert 'value="Amina Diallo"' in html and 'value="H2X 1Y4"' in html
    assert re.search(r'<input[^>]*name="consent_email"[^>]*checked', html)
    assert not Registration.objects.exists()


def test_a_malformed_email_is_named_in_the_error_summary(client, event):
    html = text(register(client, event, email="amina@example"))
    assert 'href="#id_email"' in html and 'value="amina@example"' in html
    assert not Registration.objects.exists()


def test_registering_creates_a_registration_and_opens_the_persons_own_page(client, event):
    response = register(client, event, consent_email="on", postal_code="h2x1y4")
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.person.chosen_name == "Amina Diallo"
    assert response.status_code == 303
    assert response["Location"] == f"/en/events/r/{registration.manage_token}/"
    page = client.get(response["Location"])
    assert "You are registered." in text(page)


def test_registering_with_someone_elses_email_shows_nothing_about_them(client, event, world):
    EmailAddress.objects.create(person=world.in_montreal, address="ana@example.org",
                                is_primary=True)
    response = register(client, event, email="ana@example.org", chosen_name="Stranger")
    html = text(client.get(response["Location"]))
    assert "Ana Montréal" not in html and "ana@example.org" not in html


def test_too_many_forms_from_one_address_are_refused_keeping_what_was_typed(
        client, event, settings):
    settings.PUBLIC_FORM_RATE = "1/m"
    register(client, event, email="first@example.org")
    response = register(client, event, email="second@example.org", chosen_name="Luc Tremblay")
    assert response.status_code == 429
    assert "Too many forms" in text(response) and 'value="Luc Tremblay"' in text(response)
    assert Registration.objects.count() == 1


def test_registering_in_french_keeps_french_as_the_registrations_language(client, event):
    register(client, event, lang="fr", email="luc@example.org", chosen_name="Luc")
    assert Registration.objects.get().language == "fr"


def test_the_same_post_replayed_registers_once(client, event):
    key = page_key(client, event)
    first = register(client, event, key=key)
    again = register(client, event, key=key)
    assert "/events/r/" in first["Location"]
    assert again.status_code == 303
    assert again["Location"] == "/en/events/info-session/thanks/?outcome=replay"
    assert Registration.objects.count() == 1


def test_someone_already_registered_gets_a_neutral_message_not_the_registration_page(
        client, event):
    register(client, event)
    response = register(client, event, email="AMINA@example.org", chosen_name="Someone else")
    assert response["Location"] == "/en/events/info-session/thanks/?outcome=already"
    html = text(client.get(response["Location"]))
    assert "If you are already registered" in html
    assert "Amina" not in html and "/events/r/" not in html
    assert Registration.objects.count() == 1


def test_a_full_event_offers_the_waiting_list_and_registers_on_it(client, event):
    event.capacity = 1
    event.save()
    register(client, event, email="first@example.org")
    html = text(client.get("/en/events/info-session/"))
    assert "Full — join the waiting list" in html
    assert "Join the waiting list</button>" in html
    response = register(client, event, email="second@example.org")
    second = Registration.objects.get(person__emails__address="second@example.org")
    assert second.status == Registration.Status.WAITLISTED
    page = text(client.get(response["Location"]))
    assert "You are on the waiting list." in page and "Your place in line: 1." in page


def test_seats_left_are_shown_when_there_is_a_capacity(client, event):
    event.capacity = 40
    event.save()
    assert "40 seats left" in text(client.get("/en/events/info-session/"))


def test_a_full_event_without_waiting_list_has_no_form(client, event):
    event.capacity, event.waitlist, event.seats_taken = 1, False, 1
    event.save()
    html = text(client.get("/en/events/info-session/"))
    assert "This event is full." in html and 'name="key"' not in html


def test_a_form_sent_after_the_last_seat_went_says_full_and_stores_nothing(client, event):
    event.capacity, event.waitlist = 1, False
    event.save()
    key = page_key(client, event)
    Event.objects.filter(pk=event.pk).update(seats_taken=1)
    event.refresh_from_db()
    # The page was loaded while a seat was free; the POST arrives once it is gone.
    response = client.post("/en/events/info-session/", {
        "chosen_name": "Amina", "email": "amina@example.org", "language": "en", "key": key})
    assert response.status_code == 400 and "This event is full." in text(response)
    assert not Registration.objects.exists()


def test_a_cancelled_event_shows_a_banner_and_no_form(client, event):
    event.status = Event.Status.CANCELLED
    event.save()
    html = text(client.get("/en/events/info-session/"))
    assert "This event is cancelled." in html and 'name="key"' not in html
    assert register(client, event, key="x").status_code == 400


def test_a_robot_filling_the_hidden_field_is_answered_like_a_person_and_stores_nothing(
        client, event):
    response = register(client, event, website="http://spam.example")
    assert response.status_code == 303 and "thanks" in response["Location"]
    assert not Registration.objects.exists()


def test_a_forged_form_key_brings_the_form_back_filled_in(client, event):
    response = register(client, event, key="forged")
    assert response.status_code == 400
    assert "open for a long time" in text(response) and 'value="Amina Diallo"' in text(response)


# --- Online link, private and members-only events ---------------------------------------

@pytest.fixture
def online(world):
    return EventFactory(organization=world.centre, slug="online-session",
                        format=Event.Format.ONLINE, venue="", address="", city="", province="",
                        online_url="https://meet.example.org/secret-room",
                        online_details="Passcode 4242", capacity=1)


def test_the_online_link_is_hidden_from_the_public_page_and_shown_only_when_confirmed(
        client, online):
    public = text(client.get("/en/events/online-session/"))
    assert "secret-room" not in public and "4242" not in public
    assert "Online — the link is sent when you register" in public
    first = register(client, online, email="first@example.org")
    confirmed = text(client.get(first["Location"]))
    assert "https://meet.example.org/secret-room" in confirmed and "Passcode 4242" in confirmed
    second = register(client, online, email="second@example.org")
    waitlisted = text(client.get(second["Location"]))
    assert "secret-room" not in waitlisted and "4242" not in waitlisted


def test_the_confirmed_persons_calendar_file_carries_the_online_link(client, online):
    response = register(client, online)
    ics = client.get(response["Location"] + "?format=ics")
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    assert "secret-room" in text(ics)
    assert "secret-room" not in text(client.get("/en/events/online-session/event.ics"))


@pytest.fixture
def private(world):
    return EventFactory(organization=world.centre, slug="strike-meeting",
                        visibility=Event.Visibility.PRIVATE, title={"en": "Strike meeting"})


def test_a_private_event_is_not_found_without_its_key(client, private):
    assert client.get("/en/events/strike-meeting/").status_code == 404
    assert client.get("/en/events/strike-meeting/?k=wrong").status_code == 404
    assert client.get("/en/events/strike-meeting/event.ics").status_code == 404


def test_a_private_event_with_its_key_is_shown_unindexed_and_the_form_carries_the_key(
        client, private):
    response = client.get(f"/en/events/strike-meeting/?k={private.private_key}")
    html = text(response)
    assert response.status_code == 200 and "Strike meeting" in html
    assert '<meta name="robots" content="noindex">' in html
    assert f'name="k" value="{private.private_key}"' in html
    assert response["Referrer-Policy"] == "no-referrer"
    result = register(client, private, query=f"?k={private.private_key}",
                      k=private.private_key)
    assert "/events/r/" in result["Location"]
    assert Registration.objects.get().event == private


@pytest.fixture
def members(world):
    return EventFactory(organization=world.centre, slug="members-assembly",
                        visibility=Event.Visibility.MEMBERS, venue="Salle secrète",
                        address="123 rue Cachée", title={"en": "Members assembly"})


def test_a_members_only_event_hides_its_address_and_is_not_indexed(client, members):
    html = text(client.get("/en/events/members-assembly/"))
    assert "Salle secrète" not in html and "123 rue Cachée" not in html
    assert "Montréal" in html  # the city is enough to know whether to ask
    assert '<meta name="robots" content="noindex">' in html
    assert client.get("/en/events/members-assembly/event.ics").status_code == 404


def test_members_only_known_and_unknown_people_get_the_same_neutral_answer(
        client, members, world):
    EmailAddress.objects.create(person=world.in_montreal, address="ana@example.org",
                                is_primary=True)
    known = register(client, members, email="ana@example.org", chosen_name="Ana")
    stranger = register(client, members, email="new@example.org", chosen_name="New")
    assert known["Location"] == stranger["Location"] == (
        "/en/events/members-assembly/thanks/?outcome=email")
    statuses = {r.person_id: r.status for r in Registration.objects.all()}
    assert statuses.pop(world.in_montreal.pk) == Registration.Status.CONFIRMED
    assert list(statuses.values()) == [Registration.Status.AWAITING]
    html = text(client.get(known["Location"]))
    assert "We will write to you" in html and "Salle secrète" not in html


def test_a_confirmed_member_sees_the_address_on_their_own_page(client, members, world):
    registration = RegistrationFactory(event=members, person=world.in_montreal)
    html = text(client.get(f"/en/events/r/{registration.manage_token}/"))
    assert "Salle secrète" in html and "123 rue Cachée" in html


def test_someone_awaiting_approval_does_not_see_the_address(client, members):
    registration = RegistrationFactory(event=members, status=Registration.Status.AWAITING)
    html = text(client.get(f"/en/events/r/{registration.manage_token}/"))
    assert "waiting for an organizer" in html and "Salle secrète" not in html


# --- A person's own registration page ---------------------------------------------------

def test_the_registration_page_is_private_unindexed_and_in_both_languages(client, event):
    registration = RegistrationFactory(event=event)
    for lang, words in (("fr", "Séance d&#x27;information"), ("en", "Information session")):
        response = client.get(f"/{lang}/events/r/{registration.manage_token}/")
        assert response.status_code == 200 and words in text(response)
        assert response["Cache-Control"] == "private, no-store"
        assert response["Referrer-Policy"] == "no-referrer"
        assert '<meta name="robots" content="noindex">' in text(response)


def test_an_unknown_link_is_not_found(client, event):
    assert client.get("/en/events/r/not-a-real-token/").status_code == 404


def test_opening_the_link_never_cancels_and_the_button_does(client, event):
    registration = RegistrationFactory(event=event)
    url = f"/en/events/r/{registration.manage_token}/"
    client.get(url)
    client.head(url)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    response = client.post(url)
    assert response.status_code == 303 and response["Location"] == url
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    html = text(client.get(url))
    assert "Your registration is cancelled." in html and "Cancel my registration" not in html


def test_cancelling_gives_the_seat_to_the_first_person_waiting(client, event):
    event.capacity = 1
    event.save()
    first = register(client, event, email="first@example.org")
    second = register(client, event, email="second@example.org")
    client.post(first["Location"])
    assert "You are registered." in text(client.get(second["Location"]))


def test_the_waiting_list_position_counts_the_people_ahead(client, event):
    ahead = RegistrationFactory.create_batch(2, event=event,
                                             status=Registration.Status.WAITLISTED)
    mine = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    html = text(client.get(f"/en/events/r/{mine.manage_token}/"))
    assert "Your place in line: 3." in html
    assert len(ahead) == 2


# --- Series -----------------------------------------------------------------------------

@pytest.fixture
def series(world):
    series = SeriesFactory(organization=world.centre, slug="status-week",
                           title={"fr": "Semaine Statut pour tous", "en": "Status for all week"},
                           summary={"fr": "Partout au pays.", "en": "All across the country."})
    soon = timezone.now() + datetime.timedelta(days=8)
    for slug, city, province, fmt, kind, langs in (
            ("mtl", "Montréal", "QC", Event.Format.IN_PERSON, Event.Kind.RALLY, ["fr"]),
            ("qc", "Québec", "QC", Event.Format.IN_PERSON, Event.Kind.PRESS, ["fr"]),
            ("to", "Toronto", "ON", Event.Format.IN_PERSON, Event.Kind.RALLY, ["en"]),
            ("web", "", "", Event.Format.ONLINE, Event.Kind.INFO_SESSION, ["es"])):
        EventFactory(organization=world.centre, series=series, slug=f"week-{slug}", city=city,
                     province=province, format=fmt, kind=kind, languages=langs,
                     title={"en": f"Week event {slug}"}, starts_at=soon,
                     ends_at=soon + datetime.timedelta(hours=1))
    EventFactory(organization=world.centre, slug="not-in-series", title={"en": "Elsewhere"})
    return series


def test_the_series_page_groups_its_events_by_region_with_online_last(client, series):
    html = text(client.get("/en/events/series/status-week/"))
    assert "Status for all week" in html and "All across the country." in html
    headings = re.findall(r"<h2 id=\"region-\d+\">([^<]+)</h2>", html)
    assert headings == ["Ontario", "Quebec", "Online"]
    assert html.index("week-to") < html.index("week-mtl") < html.index("week-web")
    assert "Elsewhere" not in html
    assert 'href="/en/events/series/status-week/feed.ics"' in html
    french = text(client.get("/fr/events/series/status-week/"))
    assert "Semaine Statut pour tous" in french and "En ligne" in french


@pytest.mark.parametrize(("query", "expected"), [
    ("region=QC", {"mtl", "qc"}), ("city=Toronto", {"to"}), ("kind=rally", {"mtl", "to"}),
    ("language=es", {"web"}),
])
def test_the_series_page_filters_like_the_list(client, series, query, expected):
    html = text(client.get(f"/en/events/series/status-week/?{query}"))
    assert {slug for slug in ("mtl", "qc", "to", "web") if f"week-{slug}/" in html} == expected


def test_a_series_that_is_not_public_is_not_found(client, series):
    series.is_public = False
    series.save()
    assert client.get("/en/events/series/status-week/").status_code == 404
    assert client.get("/en/events/series/status-week/feed.ics").status_code == 404


def test_an_event_links_to_its_series_only_when_the_series_is_public(client, series):
    series.is_public = False
    series.save()
    assert "/events/series/" not in text(client.get("/en/events/week-mtl/"))


def test_cancelled_reads_in_french_with_the_gender_of_what_was_cancelled():
    # An event ("événement") is masculine, a registration ("inscription") feminine: the
    # organizers' event list and registrations list show these labels.
    from django.utils import translation

    with translation.override("fr"):
        assert str(Event.Status.CANCELLED.label) == "Annulé"
        assert str(Registration.Status.CANCELLED.label) == "Annulée"


@pytest.mark.parametrize("lang, zone", [("fr", "heure de Montréal (HNE)"),
                                        ("en", "Montréal time (EST)")])
def test_the_event_page_names_the_time_zone_by_its_city_in_the_readers_language(
        client, world, lang, zone):
    start = datetime.datetime(2026, 12, 5, 23, 0, tzinfo=datetime.UTC)
    EventFactory(organization=world.centre, chapter=world.montreal, slug="winter",
                 time_zone="America/Montreal", starts_at=start,
                 ends_at=start + datetime.timedelta(hours=2))
    html = text(client.get(f"/{lang}/events/winter/"))
    assert zone in html
    assert "America/Montreal" not in html

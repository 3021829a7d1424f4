"""While the database is down, the petition and event pages keep serving and nothing
anyone sends is lost (decision 0051).

On PostgreSQL the database really goes away: the test's connection goes through a
TCP proxy of its own that can be cut (every open connection closed, new ones
refused) and restored, while the shared server keeps running. On SQLite there is no
server to lose: the connection is pointed at a file that cannot be opened, so every
query raises the same OperationalError a lost server would.
"""

import logging
import re

import pytest
from django.core.cache import cache
from django.db import connection

from solidaire.core import spool
from solidaire.core.spool import spool_dir, spool_drain
from solidaire.events.models import Event, Registration
from solidaire.people.models import EmailAddress
from solidaire.petitions.models import Petition, Signature
from solidaire.public import petition_views

from tests.dbproxy import DatabaseProxy
from tests.factories import EventFactory, PetitionFactory, TargetFactory
from tests.waiting import wait_until

KEY = re.compile(r'name="key" value="([^"]+)"')
pytestmark = pytest.mark.django_db(transaction=True)


class Database:
    """Takes the test database away and brings it back."""

    def __init__(self):
        self.settings = connection.settings_dict
        self.saved = {name: self.settings[name] for name in ("HOST", "PORT", "NAME")}
        self.proxy = None
        if connection.vendor == "postgresql":
            self.proxy = DatabaseProxy(self.settings["HOST"] or "127.0.0.1",
                                       int(self.settings["PORT"] or 5432))
            self.settings.update(HOST="127.0.0.1", PORT=str(self.proxy.port))
            connection.close()  # the next query connects through the proxy

    def cut(self):
        if self.proxy is not None:
            self.proxy.cut()
        else:
            connection.close()
            self.settings["NAME"] = "/nonexistent/solidaire-outage/db.sqlite3"

    def restore(self):
        if self.proxy is not None:
            self.proxy.restore()
        else:
            self.settings["NAME"] = self.saved["NAME"]
        # What the server does at the end of the request that met the broken connection
        # (Django's test client leaves it to us).
        connection.close()

    def close(self):
        self.restore()
        self.settings.update(self.saved)
        connection.close()
        if self.proxy is not None:
            self.proxy.close()


@pytest.fixture(autouse=True)
def _own_spool(settings, tmp_path):
    settings.SOLIDAIRE_SPOOL_DIR = tmp_path / "spool"
    yield
    if spool._drainer is not None:
        spool._drainer.join(5)
    spool._unsent.clear()


@pytest.fixture
def database(transactional_db):
    database = Database()
    yield database
    database.close()


@pytest.fixture
def petition(database):
    petition = PetitionFactory(slug="health-care", goal=12000,
                               title={"fr": "Des soins pour tous", "en": "Health care for all"})
    petition.targets.add(TargetFactory(name="Marco Mendicino"))
    return petition


@pytest.fixture
def event(database, world):
    return EventFactory(organization=world.centre, chapter=world.montreal, slug="assembly",
                        title={"fr": "Assemblée générale", "en": "General assembly"},
                        capacity=50)


def short_caches_expire(petition):
    """What the page cache's few seconds do: the short copies are gone, the last good
    copy stays."""
    petition_views._local.clear()
    cache.delete_many([f"petition:{petition.slug}", f"petition-count:v2:{petition.pk}",
                       *(petition_views._page_key(petition.slug, code) for code in ("en", "fr"))])


def without_key(html: str) -> str:
    return KEY.sub('name="key" value=""', html)


SIGNER = {"name": "Amina Diallo", "email": "amina@example.org", "phone": "514 555-0142",
          "postal_code": "H2X 1Y4", "city": "Montréal", "language": "fr",
          "comment": "Pour ma sœur", "consent_email": "on"}


def sign(client, key, lang="en", **fields):
    return client.post(f"/{lang}/petitions/health-care/", {**SIGNER, "key": key, **fields})


def test_the_petition_page_serves_its_last_good_copy_and_a_signature_waits_in_the_spool(
        client, petition, database):
    live = client.get("/en/petitions/health-care/").content.decode()
    short_caches_expire(petition)
    database.cut()

    response = client.get("/en/petitions/health-care/")
    assert response.status_code == 200
    html = response.content.decode()
    assert without_key(html) == without_key(live)
    assert KEY.search(html).group(1) != KEY.search(live).group(1)
    assert "no-store" in response["Cache-Control"]

    key = KEY.search(html).group(1)
    answer = sign(client, key)
    assert answer.status_code == 202
    assert "Your signature on “Health care for all” is received" in answer.content.decode()
    assert "counted within a minute" in answer.content.decode()
    assert sign(client, key).status_code == 202  # a double tap during the outage
    on_disk = b"".join(path.read_bytes() for path in spool_dir().glob("*.spool"))
    assert on_disk.count(b"\n") == 2
    for typed in (b"Amina", b"amina@example.org", b"555-0142", b"H2X"):
        assert typed not in on_disk

    database.restore()
    assert Signature.objects.count() == 0
    result = spool_drain()
    assert result.recorded == 2 and result.left == 0
    assert dict(result.outcomes) == {"petition.signature:new": 1, "petition.signature:replay": 1}
    signature = Signature.objects.get()
    assert (signature.petition, signature.name, signature.email, signature.phone,
            signature.postal_code, signature.city, signature.language, signature.comment,
            signature.consent_email, signature.consent_sms) == (
        petition, "Amina Diallo", "amina@example.org", "+15145550142", "H2X 1Y4", "Montréal",
        "fr", "Pour ma sœur", True, False)
    assert not [path for path in spool_dir().iterdir() if path.is_file()]
    assert spool_drain().recorded == 0
    assert Signature.objects.count() == 1


def test_the_copy_in_the_process_memory_serves_when_the_shared_cache_lost_it(
        client, petition, database):
    live = client.get("/fr/petitions/health-care/").content.decode()
    cache.clear()  # Redis restarted too, or evicted the page
    petition_views._local.clear()
    database.cut()
    response = client.get("/fr/petitions/health-care/")
    assert response.status_code == 200
    assert without_key(response.content.decode()) == without_key(live)


def test_without_a_copy_the_page_says_we_are_back_in_a_minute_in_the_visitors_language(
        client, petition, database):
    database.cut()
    response = client.get("/fr/petitions/health-care/")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "Nous revenons dans une minute" in response.content.decode()
    english = client.get("/en/petitions/health-care/")
    assert english.status_code == 503 and "We are back in a minute" in english.content.decode()


def test_a_signature_sent_without_any_copy_comes_back_with_all_it_typed(
        client, petition, database):
    key = KEY.search(client.get("/en/petitions/health-care/").content.decode()).group(1)
    cache.clear()
    petition_views.local_cache_clear()
    database.cut()
    response = sign(client, key)
    assert response.status_code == 503
    html = response.content.decode()
    for typed in ("Amina Diallo", "amina@example.org", "H2X 1Y4", "Pour ma sœur"):
        assert typed in html.replace("&#x27;", "'")
    assert not list(spool_dir().glob("*.spool"))


def test_a_form_with_a_mistake_during_the_outage_comes_back_filled_in(
        client, petition, database):
    html = client.get("/en/petitions/health-care/").content.decode()
    short_caches_expire(petition)
    database.cut()
    response = sign(client, KEY.search(html).group(1), email="", phone="")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Amina Diallo" in page and "Give an e-mail address or a phone number" in page
    assert not list(spool_dir().glob("*.spool"))


def test_the_thanks_page_reached_just_as_the_database_goes_says_thank_you(
        client, petition, database):
    key = KEY.search(client.get("/en/petitions/health-care/").content.decode()).group(1)
    assert sign(client, key).status_code == 303
    short_caches_expire(petition)
    database.cut()
    response = client.get("/en/petitions/health-care/thanks/")
    assert response.status_code == 200
    assert "Thank you for signing!" in response.content.decode()


def test_the_web_process_records_its_spool_after_its_next_post_that_reaches_the_database(
        client, petition, database):
    key = KEY.search(client.get("/en/petitions/health-care/").content.decode()).group(1)
    short_caches_expire(petition)
    database.cut()
    assert sign(client, key).status_code == 202
    database.restore()
    second = KEY.search(client.get("/en/petitions/health-care/").content.decode()).group(1)
    assert sign(client, second, email="luc@example.org", phone="", name="Luc").status_code == 303
    wait_until(lambda: Signature.objects.count() >= 2,
               message="the spooled signature, drained after the next POST")
    assert sorted(Signature.objects.values_list("name", flat=True)) == ["Amina Diallo", "Luc"]


def test_a_signature_for_a_petition_deleted_meanwhile_is_set_aside_without_holding_up_others(
        client, petition, database, caplog):
    other = PetitionFactory(slug="other")
    keys = [KEY.search(client.get(f"/en/petitions/{slug}/").content.decode()).group(1)
            for slug in ("health-care", "other")]
    short_caches_expire(petition)
    short_caches_expire(other)
    database.cut()
    assert sign(client, keys[0]).status_code == 202
    assert client.post("/en/petitions/other/", {**SIGNER, "key": keys[1]}).status_code == 202
    database.restore()
    Petition.objects.filter(pk=petition.pk).delete()
    with caplog.at_level(logging.INFO, logger="solidaire.core.spool"):
        result = spool_drain()
    assert (result.recorded, result.rejected) == (1, 1)
    assert Signature.objects.get().petition == other
    aside = list((spool_dir() / "rejected").glob("*.spool"))
    assert len(aside) == 1 and b"amina" not in aside[0].read_bytes()
    assert f"petition {petition.pk} is no longer public" in caplog.text
    for typed in ("Amina", "amina@example.org", "555", "H2X"):
        assert typed not in caplog.text
    assert spool_drain().rejected == 0  # set aside once, not again


# --- The event page -----------------------------------------------------------------------

REGISTRANT = {"chosen_name": "Bea Tremblay", "email": "bea@example.org", "phone": "",
              "postal_code": "H3T 1E2", "language": "fr", "consent_email": "on"}


def test_the_event_page_serves_its_last_good_copy_and_a_registration_waits_in_the_spool(
        client, event, database):
    live = client.get("/fr/events/assembly/").content.decode()
    database.cut()
    response = client.get("/fr/events/assembly/")
    assert response.status_code == 200
    html = response.content.decode()
    assert without_key(html) == without_key(live)
    assert KEY.search(html).group(1) != KEY.search(live).group(1)
    assert "no-store" in response["Cache-Control"]

    key = KEY.search(html).group(1)
    for _twice in range(2):
        answer = client.post("/fr/events/assembly/", {**REGISTRANT, "key": key})
        assert answer.status_code == 202
        assert "Votre inscription est reçue" in answer.content.decode()
    assert b"bea@example.org" not in b"".join(p.read_bytes() for p in spool_dir().glob("*.spool"))

    database.restore()
    result = spool_drain()
    assert dict(result.outcomes) == {"event.registration:confirmed": 1,
                                     "event.registration:replay": 1}
    registration = Registration.objects.get()
    assert registration.event == event and registration.status == Registration.Status.CONFIRMED
    assert registration.language == "fr"
    person = registration.person
    assert person.chosen_name == "Bea Tremblay" and person.consent_email
    assert EmailAddress.objects.get(person=person).address == "bea@example.org"
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_a_private_events_copy_needs_its_key_during_the_outage_too(client, world, database):
    private = EventFactory(organization=world.centre, slug="private",
                           visibility=Event.Visibility.PRIVATE, title={"en": "Private meeting"})
    assert client.get(f"/en/events/private/?k={private.private_key}").status_code == 200
    database.cut()
    assert client.get("/en/events/private/").status_code == 503
    assert client.get("/en/events/private/?k=wrong").status_code == 503
    response = client.get(f"/en/events/private/?k={private.private_key}")
    assert response.status_code == 200 and "Private meeting" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"


def test_an_event_page_never_rendered_answers_503_in_the_visitors_language(
        client, event, database):
    database.cut()
    response = client.get("/fr/events/assembly/")
    assert response.status_code == 503
    assert "Nous revenons dans une minute" in response.content.decode()

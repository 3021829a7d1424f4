"""Links in e-mails and calendar files lead to the address the site was reached at."""

import pytest

from solidaire.core.models import OutboxEmail
from solidaire.events.models import Event, Registration

from tests.factories import EventFactory
from tests.public.test_event_pages import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(world, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "example.org"]
    return EventFactory(organization=world.centre, chapter=world.montreal, slug="info-session",
                        kind=Event.Kind.INFO_SESSION)


def test_an_email_sent_after_a_request_to_example_org_has_example_org_links(client, event):
    client.defaults["HTTP_HOST"] = "example.org"
    register(client, event, consent_email="on")
    registration = Registration.objects.get()
    [email] = OutboxEmail.objects.filter(to="amina@example.org")
    assert f"http://example.org/en/events/r/{registration.manage_token}/" in email.body_text
    assert "127.0.0.1" not in email.body_text


def test_the_calendar_file_carries_the_requests_host(client, event):
    response = client.get("/en/events/info-session/event.ics", HTTP_HOST="example.org")
    assert response.status_code == 200
    text = response.content.decode()
    assert "http://example.org/en/events/info-session/" in text.replace("\r\n ", "")
    assert "127.0.0.1:8000" not in text


def test_the_calendar_uid_stays_the_same_whatever_the_host(client, event):
    here = client.get("/en/events/info-session/event.ics", HTTP_HOST="example.org")
    there = client.get("/en/events/info-session/event.ics")
    uid = [line for line in here.content.decode().splitlines() if line.startswith("UID:")]
    assert uid == [line for line in there.content.decode().splitlines()
                   if line.startswith("UID:")]

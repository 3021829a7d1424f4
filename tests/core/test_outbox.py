"""The e-mail outbox: rendered in the recipient's language, sent once, only if committed."""

import datetime

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone, translation
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from solidaire.core.models import OutboxEmail
from solidaire.core.outbox import MAX_ATTEMPTS, email_enqueue, outbox_flush
from solidaire.core.tasks import outbox_retry_batch, outbox_send, outbox_send_batch

BODY = "Secret body: your meeting is at the usual place."


class BrokenMailServerBackend(BaseEmailBackend):
    """An e-mail backend whose server takes the connection, then refuses every message."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server refused the connection")


@pytest.fixture
def email_templates(tmp_path, settings):
    folder = tmp_path / "templates" / "test_email"
    folder.mkdir(parents=True)
    language = "{% load i18n %}{% get_current_language as language %}"
    (folder / "subject.txt").write_text(language + "[{{ language }}]\n Hello {{ name }}\n")
    (folder / "plain.txt").write_text(language + "Language: {{ language }}\n{{ body }}\n")
    (folder / "rich.txt").write_text("Hello {{ name }}\n")
    (folder / "rich.html").write_text(language + '<p lang="{{ language }}">{{ name }}</p>\n')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates"]}]


def enqueue(**overrides) -> OutboxEmail:
    arguments = {
        "to": "ana@example.org",
        "subject_template": "test_email/subject.txt",
        "body_template": "test_email/plain.txt",
        "context": {"name": "O'Brien & fils", "body": BODY},
        "language": "fr",
        "kind": "tests.hello",
        **overrides,
    }
    return email_enqueue(**arguments)


def test_email_is_rendered_in_the_recipients_language_not_the_callers(db, email_templates):
    with translation.override("en"):
        email = enqueue(language="fr")
        assert translation.get_language() == "en"

    assert email.language == "fr"
    # One line, and plain text is not HTML-escaped.
    assert email.subject == "[fr] Hello O'Brien & fils"
    assert email.body_text.startswith("Language: fr\n")
    assert email.body_html == ""
    assert enqueue(language="es").subject.startswith("[es]")


def test_an_html_template_beside_the_text_one_becomes_the_html_alternative(
    db, email_templates
):
    email = enqueue(body_template="test_email/rich.txt", language="en")
    assert email.body_text == "Hello O'Brien & fils\n"
    assert email.body_html == '<p lang="en">O&#x27;Brien &amp; fils</p>\n'

    outbox_send_batch.call()
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_no_email_and_no_job_when_the_callers_transaction_rolls_back(
    db, email_templates, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue()
        raise RuntimeError("the signature could not be saved")

    assert callbacks == []
    assert not OutboxEmail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_the_send_job_is_queued_on_commit_and_sends_from_the_site_address(
    db, email_templates, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        email = enqueue(reply_to="chapter@example.org")
        assert not DBTaskResult.objects.exists()  # not before the commit

    job = DBTaskResult.objects.get()
    assert job.task_path == "solidaire.core.tasks.outbox_send_batch"
    assert job.queue_name == "email"

    assert outbox_send_batch.call() == 1
    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    assert message.reply_to == ["chapter@example.org"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == "[fr] Hello O'Brien & fils"
    assert BODY in message.body
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT
    assert email.sent_at is not None


def test_sending_twice_sends_once(db, email_templates):
    email = enqueue()

    assert outbox_send_batch.call() == 1
    assert outbox_send_batch.call() == 0
    assert outbox_retry_batch.call() == 0

    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.SENT, 1)


def test_a_job_queued_per_email_before_batches_still_sends_it_once(db, email_templates):
    # A job row of the old kind, left in the queue across the deploy.
    email = enqueue()

    assert outbox_send.call(email.pk) is True
    assert outbox_send.call(email.pk) is False
    assert outbox_send_batch.call() == 0

    assert len(mail.outbox) == 1


def test_a_failed_send_is_recorded_without_the_body_and_left_for_a_retry(
    db, email_templates, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.core.test_outbox.BrokenMailServerBackend"
    email = enqueue()

    assert outbox_send_batch.call() == 0  # the job itself goes on (other e-mails)

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.PENDING  # still to be retried
    assert email.attempts == 1
    assert email.last_error == "ConnectionRefusedError: mail server refused the connection"
    assert BODY not in caplog.text
    assert "ana@example.org" not in caplog.text
    assert "ConnectionRefusedError" in caplog.text  # the failure itself is logged
    # The old per-e-mail job reports the failure by raising, as it always did.
    with pytest.raises(ConnectionRefusedError):
        outbox_send.call(email.pk)


def test_an_email_that_keeps_failing_is_given_up_after_the_last_attempt(
    db, email_templates, settings
):
    settings.EMAIL_BACKEND = "tests.core.test_outbox.BrokenMailServerBackend"
    email = enqueue()
    outbox_send_batch.call()
    for _ in range(MAX_ATTEMPTS - 1):
        outbox_retry_batch.call()

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.FAILED, MAX_ATTEMPTS)
    outbox_retry_batch.call()  # no further attempt
    email.refresh_from_db()
    assert email.attempts == MAX_ATTEMPTS


def test_the_sweep_queues_one_retry_job_for_old_pending_emails(db, email_templates):
    # In this test transaction on_commit never runs: as if the process died after the
    # commit and before queueing the send.
    lost = enqueue(to="lost@example.org")
    young = enqueue(to="young@example.org")
    sent = enqueue(to="sent@example.org")
    outbox_send.call(sent.pk)
    mail.outbox.clear()
    assert outbox_flush() is False  # every pending e-mail is young: its job is on its way
    OutboxEmail.objects.exclude(pk=young.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=2)
    )

    assert outbox_flush() is True
    job = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert job.task_path == "solidaire.core.tasks.outbox_retry_batch"
    assert job.queue_name == "email"
    assert outbox_flush() is False  # a retry job is already waiting
    # A retry job that ended (failed) is not waiting: the next sweep queues another.
    job.set_failed(ConnectionRefusedError())
    assert outbox_flush() is True

    assert outbox_retry_batch.call() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["lost@example.org", "young@example.org"]
    assert not OutboxEmail.objects.filter(pk=lost.pk, status=OutboxEmail.Status.PENDING).exists()


def test_the_sweep_gives_up_held_emails_never_released(db, email_templates):
    held = enqueue(hold="address:1")
    OutboxEmail.objects.filter(pk=held.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31))

    assert outbox_flush() is False  # nothing pending: no job
    held.refresh_from_db()
    assert (held.status, held.last_error) == (OutboxEmail.Status.FAILED, "never released")


def test_a_calendar_attachment_travels_with_the_email(db, email_templates):
    ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    enqueue(attachments=[("event.ics", ics, "text/calendar")])

    assert outbox_send_batch.call() == 1
    [message] = mail.outbox
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == ("event.ics", "text/calendar")
    assert content == ics

"""The e-mail outbox: rendered in the recipient's language, sent once, only if committed."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone, translation
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from solidaire.core.models import OutboxEmail
from solidaire.core.outbox import MAX_ATTEMPTS, email_enqueue, outbox_flush
from solidaire.core.tasks import outbox_send

BODY = "Secret body: your meeting is at the usual place."


class BrokenMailServerBackend:
    """An e-mail backend whose server refuses every message."""

    def __init__(self, **kwargs):
        pass

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

    outbox_send.call(email.pk)
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
    assert job.task_path == "solidaire.core.tasks.outbox_send"
    assert job.queue_name == "email"
    assert job.args_kwargs["args"] == [email.pk]
    email.refresh_from_db()
    assert email.job_id == str(job.id)

    assert outbox_send.call(email.pk) is True
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

    assert outbox_send.call(email.pk) is True
    assert outbox_send.call(email.pk) is False

    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.SENT, 1)


def test_a_failed_send_is_recorded_without_the_body_and_raised(
    db, email_templates, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.core.test_outbox.BrokenMailServerBackend"
    email = enqueue()

    with pytest.raises(ConnectionRefusedError):
        outbox_send.call(email.pk)

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.PENDING  # still to be retried
    assert email.attempts == 1
    assert email.last_error == "ConnectionRefusedError: mail server refused the connection"
    assert BODY not in caplog.text
    assert "ana@example.org" not in caplog.text
    assert "ConnectionRefusedError" in caplog.text  # the failure itself is logged


def test_an_email_that_keeps_failing_is_given_up_after_the_last_attempt(
    db, email_templates, settings
):
    settings.EMAIL_BACKEND = "tests.core.test_outbox.BrokenMailServerBackend"
    email = enqueue()
    for _ in range(MAX_ATTEMPTS):
        with pytest.raises(ConnectionRefusedError):
            outbox_send.call(email.pk)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.FAILED, MAX_ATTEMPTS)
    assert outbox_send.call(email.pk) is False  # no further attempt


def test_the_sweep_queues_old_pending_emails_whose_job_is_missing_or_failed(
    db, email_templates
):
    # In this test transaction on_commit never runs: as if the process died after the
    # commit and before queueing the send.
    lost = enqueue()
    failed_job = enqueue()
    young = enqueue()
    sent = enqueue()
    outbox_send.call(sent.pk)
    failed = DBTaskResult.objects.get(id=outbox_send.enqueue(failed_job.pk).id)
    failed.set_failed(ConnectionRefusedError())
    OutboxEmail.objects.filter(pk=failed_job.pk).update(job_id=str(failed.id))
    OutboxEmail.objects.exclude(pk=young.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=2)
    )

    assert outbox_flush() == 2
    queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert sorted(job.args_kwargs["args"][0] for job in queued) == sorted(
        [lost.pk, failed_job.pk]
    )
    assert outbox_flush() == 0  # their jobs are now waiting


def test_a_calendar_attachment_travels_with_the_email(db, email_templates):
    ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    email = enqueue(attachments=[("event.ics", ics, "text/calendar")])

    assert outbox_send.call(email.pk) is True
    [message] = mail.outbox
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == ("event.ics", "text/calendar")
    assert content == ics

"""The outbox sends in batches over one connection (decision 0049): one job for many
e-mails, each row sent once even with two jobs at once, a bad recipient or a lost
server never costing the other e-mails."""

import smtplib
import threading
import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection
from django_tasks_db.models import DBTaskResult

from solidaire.core import outbox, worker
from solidaire.core.models import OutboxEmail
from solidaire.core.outbox import (
    MAX_ATTEMPTS,
    emails_enqueue,
    outbox_release,
    outbox_send_pending,
    schedule_reset,
)
from solidaire.core.tasks import outbox_retry_batch, outbox_send_batch
from solidaire.core.worker import JobHandedBack

from tests.core.test_outbox import BODY, email_templates, enqueue  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("email_templates")


class CountingBackend(LocmemBackend):
    """Django's test outbox, counting the connections opened to it."""

    opened = 0
    delay = 0.0  # seconds per message, so that two jobs at once really overlap

    def open(self):
        type(self).opened += 1
        return True

    def send_messages(self, messages):
        if self.delay:
            time.sleep(self.delay)  # a slow mail server is what the test sets up, not a wait
        return super().send_messages(messages)


class FlakyServer(BaseEmailBackend):
    """A mail server of the tests. It refuses the addresses in `refused`, closes the
    connection after `drop_every` messages on it, and after `down_after` messages in all
    goes away: the connection drops and reconnecting fails."""

    refused: set[str] = set()
    drop_every: int | None = None
    down_after: int | None = None
    opened = 0
    delivered: list[str] = []

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.connected = False
        self.on_connection = 0

    @classmethod
    def reset(cls, **config):
        cls.refused, cls.drop_every, cls.down_after = set(), None, None
        cls.opened, cls.delivered = 0, []
        for name, value in config.items():
            setattr(cls, name, value)

    def _down(self) -> bool:
        return self.down_after is not None and len(self.delivered) >= self.down_after

    def open(self):
        if self._down():
            raise ConnectionRefusedError("connection refused")
        type(self).opened += 1
        self.connected, self.on_connection = True, 0
        return True

    def close(self):
        self.connected = False

    def send_messages(self, messages):
        if not self.connected:
            raise smtplib.SMTPServerDisconnected("please run connect() first")
        if self._down() or (self.drop_every and self.on_connection >= self.drop_every):
            self.connected = False
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        [message] = messages
        [to] = message.to
        if to in self.refused:
            raise smtplib.SMTPRecipientsRefused({to: (550, b"5.1.1 No such user")})
        self.on_connection += 1
        type(self).delivered.append(to)
        return 1


@pytest.fixture
def counting(settings):
    settings.EMAIL_BACKEND = "tests.core.test_outbox_batches.CountingBackend"
    CountingBackend.opened, CountingBackend.delay = 0, 0.0
    return CountingBackend


@pytest.fixture
def server(settings):
    settings.EMAIL_BACKEND = "tests.core.test_outbox_batches.FlakyServer"
    FlakyServer.reset()
    return FlakyServer


def enqueue_many(count: int, **spec) -> list[OutboxEmail]:
    return emails_enqueue(emails=[{
        "to": f"p{n}@example.org", "subject_template": "test_email/subject.txt",
        "body_template": "test_email/plain.txt", "context": {"name": f"P{n}", "body": BODY},
        "language": "fr", "kind": "tests.hello", **spec,
    } for n in range(count)])


def statuses() -> dict[str, int]:
    return {status: OutboxEmail.objects.filter(status=status).count()
            for status in OutboxEmail.Status.values}


def test_many_emails_go_out_over_one_connection_with_a_few_queries_per_batch(
    db, counting, django_assert_max_num_queries
):
    enqueue_many(450)  # three batches

    # Per batch: claim, one UPDATE for the sent, and the savepoint around them; saving
    # row by row would be 450 queries.
    with django_assert_max_num_queries(20):
        assert outbox_send_batch.call() == 450

    assert counting.opened == 1
    assert len(mail.outbox) == 450
    assert len({m.to[0] for m in mail.outbox}) == 450
    assert statuses()[OutboxEmail.Status.SENT] == 450
    assert set(OutboxEmail.objects.values_list("attempts", flat=True)) == {1}


def test_one_refused_recipient_does_not_stop_the_others_and_is_retried_up_to_the_limit(
    db, server, caplog
):
    server.reset(refused={"p2@example.org"})
    enqueue_many(5)

    assert outbox_send_batch.call() == 4
    assert sorted(server.delivered) == ["p0@example.org", "p1@example.org", "p3@example.org",
                                        "p4@example.org"]
    bad = OutboxEmail.objects.get(to="p2@example.org")
    assert (bad.status, bad.attempts) == (OutboxEmail.Status.PENDING, 1)
    assert bad.last_error.startswith("SMTPRecipientsRefused")
    assert "p2@example.org" not in caplog.text and BODY not in caplog.text

    # A job asked for by new e-mails does not retry it; the sweep's retry job does.
    assert outbox_send_batch.call() == 0
    bad.refresh_from_db()
    assert bad.attempts == 1
    for _ in range(MAX_ATTEMPTS - 1):
        outbox_retry_batch.call()
    bad.refresh_from_db()
    assert (bad.status, bad.attempts) == (OutboxEmail.Status.FAILED, MAX_ATTEMPTS)
    outbox_retry_batch.call()
    bad.refresh_from_db()
    assert bad.attempts == MAX_ATTEMPTS
    assert len(server.delivered) == 4  # the others went once


def test_a_dropped_connection_is_reopened_and_no_email_goes_twice(db, server):
    server.reset(drop_every=4)
    enqueue_many(10)

    assert outbox_send_batch.call() == 10

    assert sorted(server.delivered) == sorted(f"p{n}@example.org" for n in range(10))
    assert server.opened == 3
    assert statuses()[OutboxEmail.Status.SENT] == 10


def test_a_server_lost_mid_batch_leaves_the_unsent_emails_pending(db, server):
    server.reset(down_after=3)
    enqueue_many(10)

    # The job fails (the sweep queues another) but keeps what was sent.
    with pytest.raises(ConnectionRefusedError):
        outbox_send_batch.call()

    assert len(server.delivered) == 3
    sent = set(OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT)
               .values_list("to", flat=True))
    assert sent == set(server.delivered)
    waiting = OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING)
    assert waiting.count() == 7
    # An outage is not the e-mails' fault: no attempt is counted against them.
    assert set(waiting.values_list("attempts", flat=True)) == {0}

    server.down_after = None  # the server is back
    assert outbox_send_batch.call() == 7
    assert sorted(server.delivered) == sorted(f"p{n}@example.org" for n in range(10))


def test_an_unreachable_server_sends_nothing_and_counts_no_attempt(db, server):
    server.reset(down_after=0)
    enqueue_many(3)

    with pytest.raises(ConnectionRefusedError):
        outbox_send_batch.call()

    assert statuses()[OutboxEmail.Status.PENDING] == 3
    assert set(OutboxEmail.objects.values_list("attempts", flat=True)) == {0}


@pytest.mark.django_db(transaction=True)
def test_two_jobs_at_once_never_send_an_email_twice(counting):
    # On PostgreSQL each batch skips the rows the other job holds; on SQLite the batches
    # take turns holding the write lock.
    counting.delay = 0.001
    enqueue_many(300)
    runs, errors = [], []

    def job():
        try:
            runs.append(outbox_send_pending(batch_size=50, should_stop=lambda: False))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert all(run.sent for run in runs)  # both jobs really sent, side by side
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == 300 and len(set(recipients)) == 300
    assert sum(run.sent for run in runs) == 300
    assert statuses()[OutboxEmail.Status.SENT] == 300
    assert set(OutboxEmail.objects.values_list("attempts", flat=True)) == {1}


def test_a_held_email_is_not_sent_until_released(
    db, counting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        held = enqueue(hold="address:7")
    assert not DBTaskResult.objects.exists()  # nothing to send yet: no job
    assert outbox_send_batch.call() == 0
    assert outbox_retry_batch.call() == 0
    held.refresh_from_db()
    assert held.status == OutboxEmail.Status.HELD and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_release(hold="address:7") == 1
    assert DBTaskResult.objects.filter(task_path=outbox_send_batch.module_path).count() == 1
    assert outbox_send_batch.call() == 1
    assert mail.outbox[0].to == ["ana@example.org"]


def test_a_stopping_worker_stops_between_batches_and_hands_the_job_back(
    db, counting
):
    enqueue_many(5)
    answers = iter([False, True])

    run = outbox_send_pending(batch_size=2, should_stop=lambda: next(answers))
    assert (run.sent, run.stopped) == (2, True)
    assert statuses()[OutboxEmail.Status.PENDING] == 3

    worker._stopping.set()
    try:
        with pytest.raises(JobHandedBack):  # the worker puts the job back on the queue
            outbox_send_batch.call()
    finally:
        worker._stopping.clear()
    assert outbox_send_batch.call() == 3


def test_a_job_that_reaches_its_limit_queues_the_next(db, counting,
                                                      monkeypatch):
    monkeypatch.setattr(outbox, "JOB_LIMIT", 2)
    monkeypatch.setattr(outbox, "BATCH_SIZE", 2)
    enqueue_many(5)

    assert outbox_send_batch.call() == 2
    assert DBTaskResult.objects.filter(task_path=outbox_send_batch.module_path).count() == 1
    assert outbox_send_batch.call() == 2
    assert outbox_send_batch.call() == 1


def test_commits_within_a_second_share_one_job_that_runs_after_them(
    db, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_SCHEDULE_SECONDS = 1
    jobs = DBTaskResult.objects.filter(task_path=outbox_send_batch.module_path)
    before = time.time()
    for n in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            enqueue(to=f"p{n}@example.org")
    [job] = jobs.all()
    # It runs when the window closes, so every e-mail committed in it is waiting then.
    assert job.run_after.timestamp() >= before + 1

    # The window closed (the cache key expired): the next commit asks again.
    cache.clear()
    schedule_reset()
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(to="later@example.org")
    assert jobs.count() == 2

    # Another process holds a window still open: its job will see this e-mail.
    cache.set(outbox._SCHEDULE_KEY, time.time() + 30, timeout=30)
    schedule_reset()
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(to="covered@example.org")
    assert jobs.count() == 2

    # Its window ended while this process asked: it queues a job of its own at once.
    cache.set(outbox._SCHEDULE_KEY, time.time() - 0.01, timeout=30)
    schedule_reset()
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(to="just-after@example.org")
    assert jobs.count() == 3


def test_many_emails_are_stored_in_their_languages_with_one_job(
    db, django_capture_on_commit_callbacks
):
    specs = [{"to": f"{language}@example.org", "subject_template": "test_email/subject.txt",
              "body_template": "test_email/rich.txt", "context": {"name": "Ana"},
              "language": language, "kind": "tests.hello"} for language in ("fr", "en", "es")]
    specs.append({**specs[0], "to": "held@example.org", "hold": "address:9"})

    with django_capture_on_commit_callbacks(execute=True):
        rows = emails_enqueue(emails=specs)

    assert [row.to for row in rows] == ["fr@example.org", "en@example.org", "es@example.org",
                                        "held@example.org"]
    assert all(row.pk for row in rows)
    assert [row.subject for row in rows] == ["[fr] Hello Ana", "[en] Hello Ana",
                                             "[es] Hello Ana", "[fr] Hello Ana"]
    assert rows[1].body_html == '<p lang="en">Ana</p>\n'
    assert [row.status for row in rows] == [OutboxEmail.Status.PENDING] * 3 + [
        OutboxEmail.Status.HELD]
    assert DBTaskResult.objects.count() == 1

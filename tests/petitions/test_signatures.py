"""Storing and recording signatures: the intake never loses or doubles one."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from solidaire.core.intake import form_token_check, form_token_new
from solidaire.petitions.models import Signature
from solidaire.petitions.selectors import signature_count
from solidaire.petitions.services import (
    ALREADY_SIGNED,
    NEW,
    REPLAY,
    signature_process,
    signature_submit,
    signatures_process,
)
from solidaire.petitions.tasks import signatures_sweep

from tests.factories import PetitionFactory


def submit(petition, key, **fields):
    values = {"name": "Amina Diallo", "email": "amina@example.org", "language": "fr"}
    values.update(fields)
    return signature_submit(petition=petition, key=key, **values)


def test_form_keys_are_signed_and_unique():
    first, second = form_token_new(), form_token_new()
    assert first != second
    assert form_token_check(first) and form_token_check(first) != form_token_check(second)
    assert form_token_check(first[:-2] + "xx") is None
    assert form_token_check("") is None


def test_outcomes_new_replay_and_already_signed(db):
    petition = PetitionFactory()
    assert submit(petition, "k1").outcome == NEW
    assert submit(petition, "k1").outcome == REPLAY
    assert submit(petition, "k2").outcome == ALREADY_SIGNED
    other = PetitionFactory()
    assert submit(other, "k3").outcome == NEW  # one signature per petition, not overall
    assert Signature.objects.count() == 2


def test_a_paper_signature_without_contact_is_accepted_and_each_is_its_own(db):
    petition = PetitionFactory()
    for key in ("p1", "p2"):
        result = submit(petition, key, email="", source=Signature.Source.PAPER,
                        sheet_number="12")
        assert result.outcome == NEW
        signature_process(signature=result.signature)
    assert signature_count(petition) == 2


def test_an_online_signature_without_contact_is_refused(db):
    with pytest.raises(ValueError):
        submit(PetitionFactory(), "k", email="")


def test_submitting_queues_one_processing_job_for_a_burst(db, django_capture_on_commit_callbacks,
                                                          settings):
    settings.PETITION_SCHEDULE_SECONDS = 2
    petition = PetitionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            submit(petition, f"k{n}", email=f"p{n}@example.org")
    assert DBTaskResult.objects.filter(
        task_path="solidaire.petitions.tasks.signatures_process_task").count() == 1


def test_the_sweep_queues_a_job_for_signatures_left_waiting(db):
    petition = PetitionFactory()
    signature = submit(petition, "k").signature
    assert signatures_sweep() is False  # too fresh: its own job is on the way
    Signature.objects.filter(pk=signature.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=1))
    assert signatures_sweep() is True
    jobs = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert jobs.count() == 1
    signatures_sweep()
    assert jobs.count() == 1  # a job is already waiting: no second one


def test_a_signature_that_fails_to_record_stays_waiting_and_does_not_block_others(db):
    petition = PetitionFactory()
    bad = submit(petition, "bad", email="bad@example.org").signature
    submit(petition, "good", email="good@example.org")
    # A postal code the person record refuses (the form would never let it through).
    Signature.objects.filter(pk=bad.pk).update(postal_code="not a code")
    assert signatures_process() == 1
    bad.refresh_from_db()
    assert bad.status == Signature.Status.PENDING
    assert Signature.objects.get(token="good").status == Signature.Status.COUNTED


@pytest.mark.django_db(transaction=True)
def test_two_workers_recording_at_once_record_each_signature_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks with SKIP LOCKED are a PostgreSQL matter")
    petition = PetitionFactory()
    for n in range(60):
        submit(petition, f"k{n}", email=f"p{n}@example.org")
    counts = []

    def work():
        try:
            counts.append(signatures_process())
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 60
    assert Signature.objects.filter(status=Signature.Status.COUNTED).count() == 60
    from solidaire.core.models import Activity
    assert Activity.objects.filter(kind="petition.signed").count() == 60

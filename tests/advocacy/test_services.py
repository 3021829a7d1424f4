"""Writing call reports and letters: once per form key, on the ledger, through the outbox."""

from solidaire.advocacy.activities import TARGET_CALLED, TARGET_EMAILED
from solidaire.advocacy.models import CallReport, EmailSent
from solidaire.advocacy.services import action_create, action_update, call_report_add, letter_send
from solidaire.core.models import Activity, AuditEntry, OutboxEmail
from solidaire.people.models import Person

from tests.factories import ActionFactory, CampaignFactory, TargetFactory


def test_a_call_report_replayed_with_the_same_key_counts_once(world):
    action = ActionFactory(organization=world.centre)
    target = TargetFactory()
    first = call_report_add(action=action, target=target, token="k1", outcome="message",
                            email="ana@example.org", chosen_name="Ana")
    again = call_report_add(action=action, target=target, token="k1", outcome="message",
                            email="ana@example.org", chosen_name="Ana")
    assert first.created and not again.created
    assert again.report.pk == first.report.pk
    assert CallReport.objects.count() == 1
    assert Activity.objects.filter(kind=TARGET_CALLED).count() == 1


def test_a_call_report_with_contact_goes_on_the_ledger_of_that_person(world):
    campaign = CampaignFactory(organization=world.centre)
    action = ActionFactory(organization=world.centre, campaign=campaign)
    target = TargetFactory()
    result = call_report_add(action=action, target=target, token="k2", outcome="reached",
                             phone="514 555-0199", chosen_name="Rosa", consent=True,
                             note="  They will pass it on. ")
    person = result.report.person
    assert person.chosen_name == "Rosa" and person.consent_sms
    assert result.report.note == "They will pass it on."
    activity = Activity.objects.get(kind=TARGET_CALLED)
    assert (activity.person, activity.campaign, activity.object_id) == (
        person, campaign, result.report.pk)


def test_a_call_report_without_contact_is_counted_but_belongs_to_nobody(world):
    action = ActionFactory(organization=world.centre)
    people_before = Person.objects.count()
    result = call_report_add(action=action, target=TargetFactory(), token="k3",
                             outcome="no_answer", chosen_name="Anonymous")
    assert result.report.person is None
    assert Person.objects.count() == people_before
    assert not Activity.objects.filter(kind=TARGET_CALLED).exists()


def test_a_letter_goes_once_per_target_with_the_supporter_as_reply_to(world):
    action = ActionFactory(organization=world.centre, kind="email")
    first, second = TargetFactory(email="mp1@example.org"), TargetFactory(email="mp2@example.org")
    silent = TargetFactory(email="")
    arguments = {"action": action, "targets": [first, second, silent], "token": "t1",
                 "method": EmailSent.Method.OUTBOX, "subject": "Status for all",
                 "body": "My own words & more.", "chosen_name": "O'Brien",
                 "email": "obrien@example.org", "language": "en"}
    result = letter_send(**arguments)
    assert result.created == 2 and result.skipped == [silent]
    replay = letter_send(**arguments)
    assert replay.created == 0 and len(replay.sent) == 2
    emails = OutboxEmail.objects.order_by("to")
    assert [e.to for e in emails] == ["mp1@example.org", "mp2@example.org"]
    assert {e.reply_to for e in emails} == {"obrien@example.org"}
    assert emails[0].subject == "Status for all"
    assert emails[0].body_text.startswith("My own words & more.")
    assert "O'Brien" in emails[0].body_text
    assert Activity.objects.filter(kind=TARGET_EMAILED).count() == 2
    assert EmailSent.objects.filter(outbox_email__isnull=False).count() == 2


def test_a_letter_opened_in_the_mail_app_is_recorded_without_an_outbox_email(world):
    action = ActionFactory(organization=world.centre, kind="email")
    letter_send(action=action, targets=[TargetFactory()], token="t2",
                method=EmailSent.Method.MAIL_APP, subject="S", body="B", chosen_name="Ana",
                email="ana@example.org")
    row = EmailSent.objects.get()
    assert row.method == "mail_app" and row.outbox_email is None
    assert not OutboxEmail.objects.exists()


def test_creating_and_changing_an_action_is_audited(world):
    target = TargetFactory()
    action = action_create(slug="call-in", title={"en": "Call-in"}, organization=world.centre,
                           targets=[target], actor=world.coordinator)
    assert list(action.targets.all()) == [target]
    action_update(action=action, actor=world.coordinator, goal=500, targets=[])
    action.refresh_from_db()
    assert action.goal == 500 and not action.targets.exists()
    assert AuditEntry.objects.get(action="solidaire.action.created").actor == world.coordinator
    assert AuditEntry.objects.get(action="solidaire.action.updated").data["fields"] == [
        "goal", "targets"]

"""The Django admin for staff: every registered model lists and opens."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from solidaire.advocacy.models import CallReport, EmailSent
from solidaire.campaigns.models import Demand, Milestone, PostalPrefixRiding, Resource, Riding
from solidaire.core.models import (
    Activity,
    AuditEntry,
    OutboxEmail,
    WorkerHeartbeat,
)
from solidaire.core.tasks import outbox_send
from solidaire.events.models import AttendanceImport, FollowUp, ReminderSent
from solidaire.membership.activities import COMMITTEE_JOINED, COMMITTEE_LEFT
from solidaire.membership.models import ChapterRequest, CommitteeMembership
from solidaire.membership.services import chapter_request_submit, committee_join
from solidaire.messaging.models import Audience, CallAssignment, CallEntry, CallList
from solidaire.organizing.models import Chapter, CoalitionMembership
from solidaire.people.models import Person, Tag
from solidaire.people.services import consent_record
from solidaire.petitions.models import Delivery, Endorsement
from solidaire.petitions.services import signature_process, signature_submit

from tests.factories import (
    ActionFactory,
    CampaignFactory,
    CommitteeFactory,
    EmailFactory,
    EventFactory,
    OrganizationFactory,
    PetitionFactory,
    PhoneFactory,
    RegistrationFactory,
    SeriesFactory,
    SignOnFactory,
    TargetFactory,
    TargetOfficeFactory,
)


@pytest.fixture
def full_world(world):
    """One row of every registered model, so that change pages have something to open."""
    campaign = CampaignFactory(organization=world.centre)
    Demand.objects.create(campaign=campaign, position=1, text={"fr": "Une demande"})
    committee = CommitteeFactory(organization=world.centre, chapter=world.montreal)
    committee_join(committee=committee, person=world.in_montreal)
    EmailFactory(person=world.in_montreal, address="ana@example.org")
    PhoneFactory(person=world.in_montreal, number="+15145550111")
    world.in_montreal.tags.add(Tag.objects.create(name="warehouse"))
    consent_record(person=world.in_montreal, channel="email", granted=True, method="web_form")
    CoalitionMembership.objects.create(coalition=world.other, member=world.centre)
    chapter_request_submit(organization=world.centre, chapter_name="Laval", city="Laval",
                           contact_name="Rosa", contact_email="rosa@example.org")
    AuditEntry.objects.create(action="solidaire.test")
    WorkerHeartbeat.objects.create(worker_id="worker-1")
    Group.objects.create(name="Staff")
    email = OutboxEmail.objects.create(to="ana@example.org", subject="Bienvenue",
                                       body_text="Bonjour", language="fr")
    outbox_send.enqueue(email.pk)  # a real job row of django-tasks-db
    # Issue 5: targets, ridings, petitions, signatures, sign-ons, actions and reports.
    riding = Riding.objects.create(name="Toronto Centre", code="35110", province="ON")
    PostalPrefixRiding.objects.create(prefix="M5V", riding=riding)
    target = TargetFactory(riding=riding)
    TargetOfficeFactory(target=target)
    petition = PetitionFactory(organization=world.centre, campaign=campaign)
    petition.targets.add(target)
    signature = signature_submit(petition=petition, key="admin-key", name="Ana",
                                 email="ana@example.org", language="fr").signature
    signature_process(signature=signature)
    Delivery.objects.create(petition=petition, target=target, delivered_on="2020-11-24",
                            signature_count=1)
    sign_on = SignOnFactory(organization=world.centre)
    Endorsement.objects.create(sign_on=sign_on, token="admin-endorse", org_name="Migrante BC",
                               name_key="migrante bc", kind="workers", city="Vancouver",
                               contact=world.in_montreal, language="en")
    action = ActionFactory(organization=world.centre, campaign=campaign)
    action.targets.add(target)
    CallReport.objects.create(action=action, target=target, person=world.in_montreal,
                              token="admin-call", outcome="message")
    EmailSent.objects.create(action=action, target=target, person=world.in_montreal,
                             token="admin-mail", method="mail_app", subject="Status",
                             body="Dear Minister")
    # Issue 6: a series, an event, a registration, a reminder, an import, a follow-up.
    series = SeriesFactory(organization=world.centre, campaign=campaign)
    event = EventFactory(organization=world.centre, chapter=world.montreal, campaign=campaign,
                         series=series)
    registration = RegistrationFactory(event=event, person=world.in_montreal)
    ReminderSent.objects.create(registration=registration, minutes_before=60)
    AttendanceImport.objects.create(event=event, filename="participants.csv", rows=1,
                                    participants=1, matched_registrations=1)
    FollowUp.objects.create(event=event, audience=FollowUp.Audience.ATTENDED,
                            token="admin-follow-up", subject={"fr": "Merci"},
                            body={"fr": "Merci d'être venue."}, recipients=1)
    # Issue 7: a milestone, a toolkit link, an audience and a call list with one call.
    Milestone.objects.create(campaign=campaign, kind=Milestone.Kind.MEDIA,
                             happened_on="2020-09-21", title={"en": "On CBC National"},
                             outlet="CBC National")
    Resource.objects.create(campaign=campaign, kind=Resource.Kind.FLYER, title="Flyer",
                            language="fr", url="https://example.org/flyer.pdf")
    audience = Audience.objects.create(name="Montréal", organization=world.centre,
                                       chapter=world.montreal,
                                       definition={"chapters": [world.montreal.pk]})
    call_list = CallList.objects.create(name="Call day", organization=world.centre,
                                        chapter=world.montreal, campaign=campaign,
                                        audience=audience, script={"fr": "Bonjour"})
    assignment = CallAssignment.objects.create(call_list=call_list, caller=world.volunteer)
    CallEntry.objects.create(assignment=assignment, person=world.in_montreal,
                             outcome=CallEntry.Outcome.REACHED)
    world.committee, world.campaign = committee, campaign
    return world


def registered_models():
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_changelist_of_every_registered_model_answers_200(admin_client, full_world, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_change_page_of_every_registered_model_answers_200(admin_client, full_world, model):
    obj = model._default_manager.first()
    if obj is None:
        pytest.skip(f"no {model._meta.label} row in the fixture")
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_add_page_answers_200_or_is_refused_for_read_only_models(admin_client, full_world,
                                                                 model):
    response = admin_client.get(admin_url(model, "add"))
    read_only = model._meta.label in {
        "core.Activity", "core.AuditEntry", "core.WorkerHeartbeat", "core.OutboxEmail",
        "django_tasks_database.DBTaskResult",  # django-tasks-db's own admin
        # django-axes' own admin: lockouts are recorded by logins, removed by staff.
        "axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog",
        # Issue 5: rows that only public pages create.
        "advocacy.CallReport", "advocacy.EmailSent", "petitions.Signature",
        "petitions.Endorsement",
        # Issue 6: rows written by registering, check-in, reports and the outbox.
        "events.Registration", "events.ReminderSent", "events.AttendanceImport",
        "events.FollowUp",
    }
    assert response.status_code == (403 if read_only else 200)


@pytest.mark.parametrize(
    ("model", "search"),
    [(Person, "ana"), (Person, "514 555-0111"), (Person, "ANA@example.org"), (Chapter, "Mont"),
     (ChapterRequest, "Laval"), (AuditEntry, "test")],
)
def test_admin_search_finds_records(admin_client, full_world, model, search):
    response = admin_client.get(admin_url(model, "changelist"), {"q": search})
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


def test_person_admin_finds_people_by_any_way_of_writing_a_phone(admin_client, full_world):
    response = admin_client.get(admin_url(Person, "changelist"), {"q": "(514) 555-0111"})
    assert list(response.context["cl"].result_list) == [full_world.in_montreal]


def test_person_admin_never_lists_every_chapter_or_counts_every_person(admin_client,
                                                                        full_world):
    html = admin_client.get(admin_url(Person, "change", full_world.in_montreal.pk)).content
    assert b'<select name="home_chapter"' not in html
    assert b'name="home_chapter"' in html  # a raw id input
    model_admin = admin.site._registry[Person]
    assert model_admin.show_full_result_count is False


def test_person_admin_filters_by_chapter_language_and_source(admin_client, full_world):
    url = admin_url(Person, "changelist")
    response = admin_client.get(url, {"home_chapter__id__exact": full_world.bsl.pk})
    assert list(response.context["cl"].result_list) == [full_world.in_bsl]
    assert admin_client.get(url, {"preferred_language__exact": "en"}).status_code == 200
    assert admin_client.get(url, {"source__exact": "web"}).status_code == 200


def test_activity_and_audit_log_are_read_only(admin_client, full_world):
    activity = Activity.objects.first()
    response = admin_client.post(admin_url(Activity, "change", activity.pk), {"kind": "x"})
    assert response.status_code == 403
    entry = AuditEntry.objects.first()
    assert admin_client.post(admin_url(AuditEntry, "delete", entry.pk),
                             {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_chapter_admin_adds_a_child_in_the_tree(admin_client, full_world):
    response = admin_client.post(admin_url(Chapter, "add"), {
        "name": "Laval", "slug": "laval", "kind": Chapter.Kind.CITY,
        "organization": full_world.centre.pk, "languages": "[\"fr\"]", "city": "Laval",
        "is_public": "on", "treebeard_position": "sorted-child",
        "treebeard_ref_node": full_world.quebec.pk,
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    laval = Chapter.objects.get(slug="laval")
    assert laval.path.startswith(full_world.quebec.path)
    assert laval.depth == full_world.quebec.depth + 1


def test_committee_admin_membership_changes_go_through_the_services(admin_client, full_world):
    committee = full_world.committee
    existing = CommitteeMembership.objects.get(committee=committee)
    url = admin_url(type(committee), "change", committee.pk)
    prefix = "memberships"
    response = admin_client.post(url, {
        "name": committee.name, "slug": committee.slug,
        "organization": committee.organization_id, "chapter": committee.chapter_id,
        "description": "{}",
        f"{prefix}-TOTAL_FORMS": "2", f"{prefix}-INITIAL_FORMS": "1",
        f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-id": existing.pk, f"{prefix}-0-committee": committee.pk,
        f"{prefix}-0-person": existing.person_id, f"{prefix}-0-role": "member",
        f"{prefix}-0-DELETE": "on",
        f"{prefix}-1-committee": committee.pk, f"{prefix}-1-person": full_world.in_cdn.pk,
        f"{prefix}-1-role": "chair",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(committee.memberships.values_list("person_id", "role")) == [
        (full_world.in_cdn.pk, "chair"),
    ]
    assert Activity.objects.filter(person=full_world.in_cdn,
                                   kind=COMMITTEE_JOINED).exists()
    assert Activity.objects.filter(person=existing.person,
                                   kind=COMMITTEE_LEFT).exists()


def test_chapter_request_admin_declines_through_the_service(admin_client, full_world):
    request = ChapterRequest.objects.get()
    response = admin_client.post(admin_url(ChapterRequest, "changelist"), {
        "action": "decline", "_selected_action": [request.pk],
    })
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == ChapterRequest.Status.DECLINED
    assert AuditEntry.objects.filter(action="solidaire.chapter_request.declined").exists()


def test_admin_is_closed_to_anonymous_visitors(client, db):
    response = client.get(admin_url(Person, "changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_person_admin_stores_contact_points_normalized(admin_client, db):
    organization = OrganizationFactory()
    response = admin_client.post(admin_url(Person, "add"), {
        "chosen_name": "Rosa", "preferred_language": "es", "source": "manual",
        "organization": organization.pk,
        "emails-TOTAL_FORMS": "1", "emails-INITIAL_FORMS": "0",
        "emails-0-address": " Rosa@Example.ORG", "emails-0-is_primary": "on",
        "emails-0-added_at_0": "2025-01-01", "emails-0-added_at_1": "10:00",
        "phones-TOTAL_FORMS": "1", "phones-INITIAL_FORMS": "0",
        "phones-0-number": "(514) 555-0123", "phones-0-kind": "mobile",
        "phones-0-is_primary": "on",
        "phones-0-added_at_0": "2025-01-01", "phones-0-added_at_1": "10:00",
        "other_languages-TOTAL_FORMS": "0", "other_languages-INITIAL_FORMS": "0",
        "consent_events-TOTAL_FORMS": "0", "consent_events-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    person = Person.objects.get(chosen_name="Rosa")
    assert list(person.emails.values_list("address", flat=True)) == ["rosa@example.org"]
    assert list(person.phones.values_list("number", flat=True)) == ["+15145550123"]


def test_person_admin_refuses_a_bad_phone(admin_client, db):
    response = admin_client.post(admin_url(Person, "add"), {
        "chosen_name": "Rosa", "preferred_language": "es", "source": "manual",
        "emails-TOTAL_FORMS": "0", "emails-INITIAL_FORMS": "0",
        "phones-TOTAL_FORMS": "1", "phones-INITIAL_FORMS": "0",
        "phones-0-number": "abc", "phones-0-kind": "mobile",
        "phones-0-added_at_0": "2025-01-01", "phones-0-added_at_1": "10:00",
        "other_languages-TOTAL_FORMS": "0", "other_languages-INITIAL_FORMS": "0",
        "consent_events-TOTAL_FORMS": "0", "consent_events-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200
    # /admin/ has no language prefix: it follows LANGUAGE_CODE (French) here.
    assert "pas un numéro de téléphone" in response.content.decode()
    assert not Person.objects.filter(chosen_name="Rosa").exists()


def test_every_link_field_of_the_admin_takes_a_link_without_scheme_as_https(rf, admin_user):
    """Staff typing “ledevoir.com/article” get https://, as in every organizer form."""
    from django import forms

    request = rf.get("/admin/")
    request.user = admin_user
    checked = []
    for model, model_admin in admin.site._registry.items():
        form_classes = [model_admin.get_form(request)]
        form_classes += [inline(model, admin.site).get_formset(request).form
                         for inline in model_admin.inlines]
        for form_class in form_classes:
            for name, field in form_class.base_fields.items():
                if isinstance(field, forms.URLField):
                    checked.append(f"{model._meta.label}.{name}")
                    assert field.clean("ledevoir.com/article") == "https://ledevoir.com/article", \
                        checked[-1]
    assert len(checked) >= 6  # websites, the online meeting link, milestone and toolkit links

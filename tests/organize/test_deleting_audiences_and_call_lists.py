"""Deleting a saved audience or a call list (decision 0061): a "Delete" button on its page
for whoever may change it, a confirmation page, a POST that works without JavaScript,
an audit entry; anyone else gets a 404. A call list from which calls were recorded is
kept, and its pages say why."""

from html import unescape

import pytest
from django.test import Client
from django.utils import translation

from solidaire.core.models import AuditEntry, OrganizerRole
from solidaire.messaging.calls import call_list_create, entry_outcome_record
from solidaire.messaging.models import Audience, CallAssignment, CallEntry, CallList
from solidaire.people.models import Person

from tests.factories import PersonFactory, PhoneFactory
from tests.organize.conftest import translated, url
from tests.second_factor import code_goes_stale, log_in_with_code


@pytest.fixture
def audience(world):
    return Audience.objects.create(name="Montréal members", organization=world.centre,
                                   chapter=world.montreal,
                                   definition={"chapters": [world.montreal.pk]})


@pytest.fixture
def call_list(world, audience):
    for index, name in enumerate(("Amina Diallo", "Bruno Lima")):
        PhoneFactory(person=PersonFactory(chosen_name=name, home_chapter=world.montreal),
                     number=f"+1514555030{index}")
    return call_list_create(name="Call day", organization=world.centre, chapter=world.montreal,
                            audience=audience, callers=[world.volunteer, world.montreal_organizer],
                            actor=world.montreal_organizer)


def says(page: str, lang: str, msgid: str, **params) -> bool:
    """The page shows this message in `lang`, escaped or not (a template's own text is
    not escaped, a message's is)."""
    with translation.override(lang):
        text = translation.gettext(msgid)
    return (text % params if params else text) in unescape(page)


def deleted(action: str, pk: int, actor) -> bool:
    return AuditEntry.objects.filter(action=action, object_id=str(pk), actor=actor).exists()


# Audiences --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_organizer_deletes_their_chapters_audience_after_a_confirmation(
        world, audience, call_list, as_user, lang):
    client = as_user(world.montreal_organizer)
    detail = client.get(url("audience_detail", pk=audience.pk, lang=lang)).content.decode()
    confirm_page = url("audience_delete", pk=audience.pk, lang=lang)
    assert f'href="{confirm_page}"' in detail

    confirm = client.get(confirm_page)
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert f'<form method="post" action="{confirm_page}">' in html
    assert says(html, lang, "Delete the audience")
    with translation.override(lang):
        kept = translation.ngettext(
            "One call list was made from it: that list is kept, with its people and its calls.",
            "%(counter)s call lists were made from it: they are kept, with their people and "
            "their calls.", 1)
    assert kept in unescape(html)
    assert Audience.objects.filter(pk=audience.pk).exists()  # a GET deletes nothing

    response = client.post(confirm_page, follow=True)
    assert response.redirect_chain[-1][0] == url("audiences", lang=lang)
    assert says(response.content.decode(), lang, "The audience %(name)s was deleted.",
                name="Montréal members")
    assert not Audience.objects.filter(pk=audience.pk).exists()
    assert deleted("solidaire.audience.deleted", audience.pk, world.montreal_organizer)
    call_list.refresh_from_db()
    assert call_list.audience is None and call_list.assignments.count() == 2
    assert Person.objects.filter(chosen_name="Amina Diallo").exists()


def test_an_audience_the_account_does_not_run_cannot_be_deleted(world, audience, as_user):
    whole_centre = Audience.objects.create(name="Whole centre", organization=world.centre,
                                           definition={})
    cases = [
        (world.rimouski_organizer, audience),  # another chapter's
        (world.montreal_organizer, whole_centre),  # seen, but run by the coordinators
        (world.volunteer, audience),  # volunteers have no audience pages
    ]
    for user, target in cases:
        client = as_user(user)
        page = url("audience_delete", pk=target.pk)
        assert client.get(page).status_code == 404, (user, target)
        assert client.post(page).status_code == 404, (user, target)
    detail = as_user(world.montreal_organizer).get(url("audience_detail", pk=whole_centre.pk))
    assert detail.status_code == 200
    assert url("audience_delete", pk=whole_centre.pk) not in detail.content.decode()
    assert Audience.objects.filter(pk__in=[audience.pk, whole_centre.pk]).count() == 2
    assert not AuditEntry.objects.filter(action="solidaire.audience.deleted").exists()
    # The coordinator runs the organization-wide one.
    assert as_user(world.coordinator).post(
        url("audience_delete", pk=whole_centre.pk)).status_code == 302
    assert not Audience.objects.filter(pk=whole_centre.pk).exists()


def test_deleting_an_audience_that_uses_status_asks_for_the_code_first(world):
    OrganizerRole.objects.filter(user=world.coordinator).update(status_access=True)
    permits = Audience.objects.create(
        name="Permits ending soon", organization=world.centre, uses_status=True,
        definition={"permit_expiry": {"from": "2027-01", "to": "2027-06"}})
    client = log_in_with_code(Client(), world.coordinator)
    page = url("audience_delete", pk=permits.pk)
    assert client.get(page).status_code == 200
    code_goes_stale(client)
    for response in (client.get(page), client.post(page)):
        assert response.status_code == 302
        assert response["Location"].startswith(url("step_up"))
    assert Audience.objects.filter(pk=permits.pk).exists()


# Call lists -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_organizer_deletes_a_call_list_nobody_has_called_from_yet(
        world, audience, call_list, as_user, lang):
    client = as_user(world.montreal_organizer)
    confirm_page = url("call_list_delete", pk=call_list.pk, lang=lang)
    detail = client.get(url("call_list_detail", pk=call_list.pk, lang=lang)).content.decode()
    assert f'href="{confirm_page}"' in detail

    confirm = client.get(confirm_page)
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert f'<form method="post" action="{confirm_page}">' in html
    assert says(html, lang, "Delete the call list")
    assert CallList.objects.filter(pk=call_list.pk).exists()

    response = client.post(confirm_page, follow=True)
    assert response.redirect_chain[-1][0] == url("call_lists", lang=lang)
    assert says(response.content.decode(), lang, "The call list %(name)s was deleted.",
                name="Call day")
    assert not CallList.objects.filter(pk=call_list.pk).exists()
    assert not CallAssignment.objects.exists() and not CallEntry.objects.exists()
    assert deleted("solidaire.call_list.deleted", call_list.pk, world.montreal_organizer)
    assert Audience.objects.filter(pk=audience.pk).exists()
    assert Person.objects.filter(chosen_name="Amina Diallo").exists()


def test_a_call_list_with_a_recorded_call_is_kept_and_its_pages_say_why(
        world, call_list, as_user):
    entry = CallEntry.objects.filter(assignment__call_list=call_list).first()
    entry_outcome_record(entry=entry, outcome=CallEntry.Outcome.NOT_INTERESTED,
                         actor=world.volunteer)
    client = as_user(world.montreal_organizer)
    confirm_page = url("call_list_delete", pk=call_list.pk)
    kept = translated("en", "Calls were recorded on this list: it is kept.")

    detail = client.get(url("call_list_detail", pk=call_list.pk)).content.decode()
    assert kept in detail and f'href="{confirm_page}"' not in detail
    confirm = client.get(confirm_page).content.decode()
    assert kept in confirm and f'action="{confirm_page}"' not in confirm

    response = client.post(confirm_page, follow=True)
    assert response.redirect_chain[-1][0] == url("call_list_detail", pk=call_list.pk)
    assert kept in response.content.decode()
    assert CallEntry.objects.filter(pk=entry.pk, outcome="not_interested").exists()
    assert not AuditEntry.objects.filter(action="solidaire.call_list.deleted").exists()


def test_a_call_list_the_account_does_not_run_cannot_be_deleted(world, audience, call_list,
                                                                as_user):
    whole_centre = call_list_create(name="Centre call day", organization=world.centre,
                                    audience=audience, callers=[world.coordinator],
                                    actor=world.coordinator)
    cases = [
        (world.rimouski_organizer, call_list),  # another chapter's
        (world.montreal_organizer, whole_centre),  # seen, but run by the coordinators
        (world.volunteer, call_list),  # a caller on it, but a volunteer
    ]
    for user, target in cases:
        client = as_user(user)
        page = url("call_list_delete", pk=target.pk)
        assert client.get(page).status_code == 404, (user, target)
        assert client.post(page).status_code == 404, (user, target)
    detail = as_user(world.montreal_organizer).get(url("call_list_detail", pk=whole_centre.pk))
    assert detail.status_code == 200
    assert url("call_list_delete", pk=whole_centre.pk) not in detail.content.decode()
    assert CallList.objects.count() == 2

"""Merging two records of one person from the organizer pages."""

import datetime

import pytest
from django.utils import timezone

from solidaire.core.models import AuditEntry
from solidaire.people.models import Person

from tests.factories import EmailFactory, PersonFactory
from tests.organize.conftest import url


def test_the_search_lists_other_people_in_scope_only(world, as_user):
    EmailFactory(person=world.in_cdn, address="bea@example.org")
    EmailFactory(person=world.in_bsl, address="bea.rimouski@example.org")
    client = as_user(world.montreal_organizer)
    html = client.get(url("person_merge", world.in_montreal.pk), {"q": "bea"}).content.decode()
    assert url("person_merge_confirm", world.in_montreal.pk, world.in_cdn.pk) in html
    assert "Carlos" not in html
    # Without a search, records with the same name are suggested.
    twin = PersonFactory(chosen_name="ana montréal", home_chapter=world.cdn)
    html = client.get(url("person_merge", world.in_montreal.pk)).content.decode()
    assert url("person_merge_confirm", world.in_montreal.pk, twin.pk) in html
    assert url("person_merge_confirm", world.in_montreal.pk, world.in_montreal.pk) not in html


def test_the_comparison_offers_to_keep_the_older_record(world, as_user):
    newer = PersonFactory(chosen_name="Ana M.", home_chapter=world.cdn)
    Person.objects.filter(pk=newer.pk).update(
        created_at=timezone.now() + datetime.timedelta(days=1))
    EmailFactory(person=newer, address="ana.m@example.org")
    html = as_user(world.montreal_organizer).get(
        url("person_merge_confirm", newer.pk, world.in_montreal.pk)).content.decode()
    assert "ana.m@example.org" in html
    assert f'value="{world.in_montreal.pk}" id="id_keep_1" checked' in html or (
        f'value="{world.in_montreal.pk}" required id="id_keep_1" checked' in html)


def test_merging_through_the_pages_keeps_both_emails(world, as_user):
    EmailFactory(person=world.in_montreal, address="ana@example.org")
    EmailFactory(person=world.in_cdn, address="ana.other@example.org")
    client = as_user(world.montreal_organizer)
    response = client.post(url("person_merge_confirm", world.in_montreal.pk, world.in_cdn.pk),
                           {"keep": world.in_montreal.pk})
    assert response.status_code == 302
    assert response["Location"] == url("person_detail", world.in_montreal.pk)
    assert not Person.objects.filter(pk=world.in_cdn.pk).exists()
    assert sorted(world.in_montreal.emails.values_list("address", flat=True)) == [
        "ana.other@example.org", "ana@example.org"]
    entry = AuditEntry.objects.get(action="solidaire.person.merged")
    assert entry.actor == world.montreal_organizer
    html = client.get(response["Location"]).content.decode()
    assert "was merged into Ana Montréal" in html


def test_either_record_can_be_kept(world, as_user):
    client = as_user(world.montreal_organizer)
    response = client.post(url("person_merge_confirm", world.in_montreal.pk, world.in_cdn.pk),
                           {"keep": world.in_cdn.pk})
    assert response["Location"] == url("person_detail", world.in_cdn.pk)
    assert not Person.objects.filter(pk=world.in_montreal.pk).exists()


@pytest.mark.parametrize(("first", "second"), [
    ("in_montreal", "in_bsl"), ("in_bsl", "in_montreal"), ("in_montreal", "in_toronto"),
])
def test_merging_with_someone_out_of_scope_is_a_404(world, as_user, first, second):
    first, second = getattr(world, first), getattr(world, second)
    client = as_user(world.montreal_organizer)
    assert client.get(url("person_merge_confirm", first.pk, second.pk)).status_code == 404
    response = client.post(url("person_merge_confirm", first.pk, second.pk),
                           {"keep": first.pk})
    assert response.status_code == 404
    assert Person.objects.filter(pk__in=[first.pk, second.pk]).count() == 2


def test_merging_a_record_with_itself_is_a_404(world, as_user):
    client = as_user(world.montreal_organizer)
    pk = world.in_montreal.pk
    assert client.get(url("person_merge_confirm", pk, pk)).status_code == 404
    assert client.post(url("person_merge_confirm", pk, pk), {"keep": pk}).status_code == 404
    assert Person.objects.filter(pk=pk).exists()


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "Select a valid choice."), ("fr", "Sélectionnez un choix valide."),
])
@pytest.mark.parametrize("keep", ["", "abc", "bsl"])
def test_a_bad_choice_of_record_to_keep_merges_nothing(world, as_user, lang, message, keep):
    keep = str(world.in_bsl.pk) if keep == "bsl" else keep
    response = as_user(world.montreal_organizer).post(
        url("person_merge_confirm", world.in_montreal.pk, world.in_cdn.pk, lang=lang),
        {"keep": keep})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert 'id="id_keep_error"' in html
    if keep:
        assert message in html
    assert Person.objects.filter(pk__in=[world.in_montreal.pk, world.in_cdn.pk]).count() == 2

"""Moving data recorded before each organization had its own list (decision 0035).

Used by data migrations only, with the historical models they are given (`apps`).
Before, one person record was shared by every organization of an installation. Now a
person belongs to one organization, and what they did with another organization (a
signature, a registration, a call) belongs to their record in *that* organization's
list. Each app's migration walks its own rows and calls `counterpart` for the
organization that owns each row: the first organization to claim an unowned person
keeps them; any other gets a person of its own list with the same e-mail or phone, or
a copy made then (profile, contact points, languages, tags and consent history —
never the immigration status, which stays with the first record).
"""

from __future__ import annotations

from django.db.models import Q


class Counterparts:
    """Finds (and makes) a person's record in another organization's list, once each."""

    def __init__(self, apps):
        self.apps = apps
        self.Person = apps.get_model("people", "Person")
        self.EmailAddress = apps.get_model("people", "EmailAddress")
        self.PhoneNumber = apps.get_model("people", "PhoneNumber")
        self.Activity = apps.get_model("core", "Activity")
        self.ContentType = apps.get_model("contenttypes", "ContentType")
        self._known: dict[tuple[int, int], int | None] = {}
        self._organization: dict[int, int | None] = {}

    def organization_of(self, person_id: int) -> int | None:
        if person_id not in self._organization:
            self._organization[person_id] = (
                self.Person.objects.filter(pk=person_id)
                .values_list("organization_id", flat=True).first())
        return self._organization[person_id]

    def get(self, person_id: int, organization_id: int, *, create: bool = True) -> int | None:
        """The id of `person_id`'s record in `organization_id`'s list; None when there
        is none and `create` is false."""
        key = (person_id, organization_id)
        if key in self._known:
            found = self._known[key]
            if found is not None or not create:
                return found
        owner = self.organization_of(person_id)
        if owner is None:
            self.Person.objects.filter(pk=person_id).update(organization_id=organization_id)
            self.EmailAddress.objects.filter(person_id=person_id).update(
                organization_id=organization_id)
            self._organization[person_id] = organization_id
            found = person_id
        elif owner == organization_id:
            found = person_id
        else:
            found = self._match(person_id, organization_id)
            if found is None and create:
                found = self._copy(person_id, organization_id)
        self._known[key] = found
        return found

    def _match(self, person_id: int, organization_id: int) -> int | None:
        emails = list(self.EmailAddress.objects.filter(person_id=person_id)
                      .values_list("address", flat=True))
        phones = list(self.PhoneNumber.objects.filter(person_id=person_id)
                      .values_list("number", flat=True))
        if not (emails or phones):
            return None
        return (self.Person.objects.filter(organization_id=organization_id)
                .filter(Q(emails__address__in=emails) | Q(phones__number__in=phones))
                .order_by("id").values_list("pk", flat=True).first())

    def _copy(self, person_id: int, organization_id: int) -> int:
        apps = self.apps
        person = self.Person.objects.get(pk=person_id)
        fields = ("chosen_name", "given_name", "family_name", "preferred_language",
                  "postal_code", "sector", "workplace", "source", "source_detail",
                  "consent_email", "consent_sms", "consent_phone", "created_at")
        copy = self.Person.objects.create(
            organization_id=organization_id, **{name: getattr(person, name) for name in fields})
        self._organization[copy.pk] = organization_id
        # An address unique in its new list: the person had it alone before.
        self.EmailAddress.objects.bulk_create([
            self.EmailAddress(person_id=copy.pk, organization_id=organization_id,
                              address=e.address, is_primary=e.is_primary, pending=False,
                              source=e.source, added_at=e.added_at)
            for e in self.EmailAddress.objects.filter(person_id=person_id)])
        self.PhoneNumber.objects.bulk_create([
            self.PhoneNumber(person_id=copy.pk, number=p.number, kind=p.kind,
                             is_primary=p.is_primary, pending=False, source=p.source,
                             added_at=p.added_at)
            for p in self.PhoneNumber.objects.filter(person_id=person_id)])
        SpokenLanguage = apps.get_model("people", "SpokenLanguage")
        SpokenLanguage.objects.bulk_create([
            SpokenLanguage(person_id=copy.pk, code=code)
            for code in SpokenLanguage.objects.filter(person_id=person_id)
            .values_list("code", flat=True)])
        Tagged = self.Person.tags.through
        Tagged.objects.bulk_create([
            Tagged(person_id=copy.pk, tag_id=tag_id)
            for tag_id in Tagged.objects.filter(person_id=person_id)
            .values_list("tag_id", flat=True)])
        ConsentEvent = apps.get_model("people", "ConsentEvent")
        ConsentEvent.objects.bulk_create([
            ConsentEvent(person_id=copy.pk, channel=c.channel, granted=c.granted,
                         method=c.method, source=c.source, recorded_by_id=c.recorded_by_id,
                         at=c.at)
            for c in ConsentEvent.objects.filter(person_id=person_id)])
        person_type = self.ContentType.objects.get_or_create(app_label="people",
                                                             model="person")[0]
        self.Activity.objects.create(person_id=copy.pk, kind="person.created",
                                     object_type_id=person_type.pk, object_id=copy.pk,
                                     occurred_at=person.created_at)
        return copy.pk

    def ledger_move(self, *, app_label: str, model: str, object_id: int, from_person: int,
                    to_person: int, kinds=None) -> None:
        """The ledger rows of `from_person` about one object now belong to `to_person`."""
        if from_person == to_person:
            return
        object_type = self.ContentType.objects.filter(app_label=app_label,
                                                      model=model).first()
        if object_type is None:
            return
        rows = self.Activity.objects.filter(person_id=from_person, object_type=object_type,
                                            object_id=object_id)
        if kinds is not None:
            rows = rows.filter(kind__in=list(kinds))
        rows.update(person_id=to_person)

    def ledger_drop(self, *, app_label: str, model: str, object_id: int, person_id: int,
                    kinds) -> None:
        object_type = self.ContentType.objects.filter(app_label=app_label,
                                                      model=model).first()
        if object_type is None:
            return
        self.Activity.objects.filter(
            person_id=person_id, object_type=object_type, object_id=object_id,
            kind__in=list(kinds)).delete()

    def finish(self) -> None:
        """Nothing left to do for the ledger's summaries: the engagement digest is
        built whole from the ledger by `analytics`' first migration, which runs after
        every migration using this class (it depends on the latest of `people`), so
        these migrations send no `ledger_changed` (decision 0054)."""

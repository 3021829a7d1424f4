"""Reads about people. Organizer-facing reads always start from people_visible_to."""

from __future__ import annotations

from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from solidaire.core.access import Scope, scope_for
from solidaire.core.models import OrganizerRole
from solidaire.core.two_factor import second_factor_recent

from .models import EmailAddress, Person, PersonStatus, PhoneNumber
from .normalize import phone_search_key

# The three name fields as one folded text (no accents, lower case), written exactly as
# the trigram index's expression (migration 0016, decision 0063). `solidaire_fold` is the
# unaccent wrapper on PostgreSQL and `folding.search_fold` on SQLite.
NAMES_SQL = "solidaire_fold((chosen_name || ' ' || given_name || ' ' || family_name))"


def people_visible_to(user) -> QuerySet[Person]:
    """Every person the account may see: the one scoping selector for people."""
    return people_in_scope(scope_for(user))


def people_in_scope(scope: Scope) -> QuerySet[Person]:
    """Every person an account of scope `scope` may see (for code that works from the
    account's scope rather than the account, as compiled audiences do)."""
    return Person.objects.all() if scope.everything else Person.objects.filter(scope.person_q())


# -- who may edit (decision 0056) ------------------------------------------------------------
# Whoever sees a person may change their record: the people of their chapters (and those
# below), for a coordinator the organization's whole list. Volunteers see nobody and
# change nobody (at the door their input only adds, decision 0036). Status needs more:
# `status_access`, and on the web a recent second factor (`status_unlocked`).

def people_editable_by(user) -> QuerySet[Person]:
    return people_visible_to(user)


def person_may_edit(user, person: Person) -> bool:
    return people_editable_by(user).filter(pk=person.pk).exists()


def person_may_place(user, *, organization, home_chapter=None) -> bool:
    """May the account give a person of `organization`'s list this home chapter (None:
    no chapter)? Only where it would still see them: a chapter of its scope, no chapter
    for the organization's coordinators (`Scope.runs`, the rule of owned items)."""
    return scope_for(user).runs(getattr(organization, "pk", organization), home_chapter)


def people_search(queryset: QuerySet[Person], text: str) -> QuerySet[Person]:
    """Search by name (any part), e-mail (its beginning) or phone (any way written).

    Names match whatever their accents and case ("chavez" finds "Chávez", decision
    0063): both sides go through the same fold, in SQL, on either database.

    Each kind of match is its own subquery so that the database can answer each
    from its own index (on PostgreSQL: the folded names' trigram index of migration
    0016, the e-mail's pattern index, the phone index) instead of joining every person
    to every e-mail address.
    """
    text = (text or "").strip()
    if not text:
        return queryset
    # Typed % and _ are letters, not wildcards.
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    by_name = Person.objects.filter(
        RawSQL(f"{NAMES_SQL} LIKE solidaire_fold(%s) ESCAPE '\\'",  # noqa: S611
               (pattern,), output_field=BooleanField())
    ).order_by().values("pk")
    matches = by_name.union(
        # Addresses are stored lower-case; matched by their beginning ("maria.g").
        EmailAddress.objects.filter(address__startswith=text.lower()).order_by()
        .values("person_id"),
    )
    phone = phone_search_key(text)
    if phone:
        matches = matches.union(
            PhoneNumber.objects.filter(number=phone).order_by().values("person_id"),
        )
    # One set of matching ids: the database starts from the (few) matches and then
    # checks scope and filters, instead of testing every person in scope.
    return queryset.filter(pk__in=matches)


def people_filter(
    queryset: QuerySet[Person],
    *,
    chapter=None,
    language: str = "",
    tag=None,
    committee=None,
) -> QuerySet[Person]:
    """Filters of the people list. A chapter includes the chapters below it."""
    if chapter is not None:
        queryset = queryset.filter(home_chapter__path__startswith=chapter.path)
    if language:
        queryset = queryset.filter(
            Q(preferred_language=language)
            | Q(pk__in=Person.objects.filter(other_languages__code=language).values("pk"))
        )
    if tag is not None:
        queryset = queryset.filter(pk__in=tag.people.values("pk"))
    if committee is not None:
        queryset = queryset.filter(committee_memberships__committee=committee)
    return queryset


def status_access(user) -> bool:
    """Whether the account may see and change immigration status (OrganizerRole flag).

    The account's right, wherever it acts from. Whether a web request may show status
    now is `status_unlocked(request)`, which also asks for a recent second factor."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    cached = getattr(user, "_solidaire_status_access", None)
    if cached is None:
        cached = OrganizerRole.objects.filter(user=user, status_access=True).exists()
        user._solidaire_status_access = cached
    return cached


def status_unlocked(request) -> bool:
    """Whether THIS request may reveal or use immigration status: the account has status
    access and its session passed the second factor within the step-up window
    (decision 0046). Every page that shows status, filters by it or hands out what was
    made with it asks this; an account with status access whose session is not recent
    is offered the code page (`organize:step_up`), which comes back."""
    return status_access(request.user) and second_factor_recent(request)


def status_recorded(person: Person) -> bool:
    """Whether a status row exists: all that an account without status access learns."""
    return PersonStatus.objects.filter(person=person).exists()

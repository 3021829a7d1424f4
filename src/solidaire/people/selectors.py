"""Reads about people. Organizer-facing reads always start from people_visible_to."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from solidaire.core.access import scope_for

from .models import Person
from .normalize import phone_search_key


def people_visible_to(user) -> QuerySet[Person]:
    """Every person the account may see: the one scoping selector for people."""
    return scope_for(user).filter(Person.objects.all(), "home_chapter")


def people_search(queryset: QuerySet[Person], text: str) -> QuerySet[Person]:
    """Search by name, e-mail or phone (any way of writing the phone)."""
    text = (text or "").strip()
    if not text:
        return queryset
    condition = (
        Q(chosen_name__icontains=text)
        | Q(given_name__icontains=text)
        | Q(family_name__icontains=text)
        | Q(emails__address__icontains=text.lower())
    )
    phone = phone_search_key(text)
    if phone:
        condition |= Q(phones__number=phone)
    matching_ids = queryset.filter(condition).values("pk")
    return queryset.filter(pk__in=matching_ids)


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

"""factory_boy factories shared by the suite."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from solidaire.advocacy.models import Action
from solidaire.campaigns.models import Campaign, Publication, Target, TargetOffice
from solidaire.core.models import OrganizerRole
from solidaire.events.models import Event, Registration, Series
from solidaire.membership.models import Committee
from solidaire.organizing.models import Chapter, Organization
from solidaire.people.models import EmailAddress, Person, PhoneNumber
from solidaire.petitions.models import Petition, SignOn


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Workers' Centre {n}")
    slug = factory.Sequence(lambda n: f"centre-{n}")
    kind = Organization.Kind.WORKERS_CENTRE


def make_chapter(*, organization, name, parent=None, kind=Chapter.Kind.REGION, **fields):
    """Chapters go through treebeard's API, so this is a function, not a factory."""
    from django.utils.text import slugify

    values = {"organization": organization, "name": name, "kind": kind,
              "slug": fields.pop("slug", slugify(name)), **fields}
    if parent is not None:
        return Chapter.objects.add_child(parent, create_kwargs=values)
    return Chapter.objects.add_root(create_kwargs=values)


def _organization_of(person) -> Organization:
    """A person is on their home chapter's organization's list; without a chapter, on
    the list of the organization that runs the site (made when there is none)."""
    if person.home_chapter is not None:
        return person.home_chapter.organization
    return (Organization.objects.order_by("-is_host", "id").first()
            or OrganizationFactory(is_host=True))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    chosen_name = factory.Sequence(lambda n: f"Member {n}")
    preferred_language = "fr"
    home_chapter = None
    organization = factory.LazyAttribute(_organization_of)


class EmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailAddress

    person = factory.SubFactory(PersonFactory)
    address = factory.Sequence(lambda n: f"member{n}@example.org")
    is_primary = True


class PhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhoneNumber

    person = factory.SubFactory(PersonFactory)
    number = factory.Sequence(lambda n: f"+1514555{n % 100:04d}")
    is_primary = True


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    name = factory.Sequence(lambda n: f"Committee {n}")
    slug = factory.Sequence(lambda n: f"committee-{n}")
    organization = factory.SubFactory(OrganizationFactory)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    slug = factory.Sequence(lambda n: f"campaign-{n}")
    title = factory.Sequence(lambda n: {"fr": f"Campagne {n}", "en": f"Campaign {n}"})
    organization = factory.SubFactory(OrganizationFactory)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    name = factory.Sequence(lambda n: f"Target {n}")
    kind = Target.Kind.MINISTER
    role = {"fr": "Ministre de l'Immigration", "en": "Minister of Immigration"}
    email = factory.Sequence(lambda n: f"target{n}@example.org")


class TargetOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetOffice

    target = factory.SubFactory(TargetFactory)
    label = "Constituency office"
    phone = factory.Sequence(lambda n: f"+1416555{n % 100:04d}")
    hours = "Mon–Fri 9:00–17:00"


class PetitionFactory(factory.django.DjangoModelFactory):
    """An open petition of an organization, in French and English."""

    class Meta:
        model = Petition

    slug = factory.Sequence(lambda n: f"petition-{n}")
    title = factory.Sequence(lambda n: {"fr": f"Pétition {n}", "en": f"Petition {n}"})
    summary = {"fr": "Des soins pour tous.", "en": "Health care for all."}
    body = {"fr": "Nous demandons des soins.", "en": "We call for health care."}
    organization = factory.SubFactory(OrganizationFactory)
    status = Publication.OPEN
    goal = 100


class SignOnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignOn

    slug = factory.Sequence(lambda n: f"sign-on-{n}")
    title = factory.Sequence(lambda n: {"fr": f"Déclaration {n}", "en": f"Statement {n}"})
    body = {"fr": "Nous appuyons.", "en": "We endorse."}
    organization = factory.SubFactory(OrganizationFactory)
    status = Publication.OPEN


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    slug = factory.Sequence(lambda n: f"action-{n}")
    kind = Action.Kind.CALL
    title = factory.Sequence(lambda n: {"fr": f"Appel {n}", "en": f"Call-in {n}"})
    script = {"fr": "Bonjour, j'appelle pour…", "en": "Hello, I am calling about…"}
    organization = factory.SubFactory(OrganizationFactory)
    status = Publication.OPEN


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"organizer{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")


def make_organizer(*, role, username=None, organization=None, chapters=()):
    user = UserFactory(**({"username": username} if username else {}))
    user.save()
    organizer = OrganizerRole.objects.create(user=user, role=role, organization=organization)
    organizer.chapters.set(chapters)
    return user


class SeriesFactory(factory.django.DjangoModelFactory):
    """A public week of action."""

    class Meta:
        model = Series

    slug = factory.Sequence(lambda n: f"week-{n}")
    title = factory.Sequence(lambda n: {"fr": f"Semaine d'action {n}", "en": f"Week of action {n}"})
    organization = factory.SubFactory(OrganizationFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    is_public = True


class EventFactory(factory.django.DjangoModelFactory):
    """A published, public, in-person meeting in Montréal a week from now, for two hours."""

    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    title = factory.Sequence(lambda n: {"fr": f"Assemblée {n}", "en": f"Assembly {n}"})
    summary = {"fr": "Venez nombreux.", "en": "Come one, come all."}
    body = {"fr": "Ordre du jour à venir.", "en": "Agenda to come."}
    organization = factory.SubFactory(OrganizationFactory)
    kind = Event.Kind.MEETING
    format = Event.Format.IN_PERSON
    venue = "Centre communautaire"
    address = "6767 chemin de la Côte-des-Neiges"
    city = "Montréal"
    province = "QC"
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=7)).replace(second=0, microsecond=0))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    languages = ["fr", "en"]
    status = Event.Status.PUBLISHED
    visibility = Event.Visibility.PUBLIC


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration. Bypasses capacity: use events.services to test seats."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    language = "fr"
    status = Registration.Status.CONFIRMED

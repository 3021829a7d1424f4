"""Organizations, coalitions, the chapter tree and committees."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from solidaire.core.models import TimeStampedModel


class Organization(TimeStampedModel):
    class Kind(models.TextChoices):
        UNION = "union", _("Union")
        WORKERS_CENTRE = "workers_centre", _("Workers' centre")
        LEGAL_CLINIC = "legal_clinic", _("Legal clinic")
        COMMUNITY_GROUP = "community_group", _("Community group")
        STUDENT_ASSOCIATION = "student_association", _("Student association")
        COALITION = "coalition", _("Coalition")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    description = models.JSONField(
        _("description"), default=dict, blank=True,
        help_text=_("One text per language code, e.g. {\"fr\": \"…\", \"en\": \"…\"}."),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    province = models.CharField(_("province or territory"), max_length=60, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_host = models.BooleanField(
        _("runs this site"), default=False,
        help_text=_("The organization presented on the public home page."),
    )
    members = models.ManyToManyField(
        "self", through="CoalitionMembership", through_fields=("coalition", "member"),
        symmetrical=False, related_name="coalitions", blank=True,
        verbose_name=_("member organizations"),
    )
    status_retention_months = models.PositiveSmallIntegerField(
        _("immigration status kept for (months)"), null=True, blank=True,
        help_text=_("The immigration status of a person of this organization with no activity "
                    "for this many months is erased by a daily job. Empty: kept until erased "
                    "by hand."),
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CoalitionMembership(models.Model):
    """An organization belonging to a coalition (itself an organization)."""

    coalition = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("coalition"),
    )
    member = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="coalition_memberships",
        verbose_name=_("member"),
    )
    is_founding = models.BooleanField(_("founding member"), default=False)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        verbose_name = _("coalition membership")
        verbose_name_plural = _("coalition memberships")
        constraints = [
            models.UniqueConstraint(fields=["coalition", "member"], name="coalition_member_once"),
            models.CheckConstraint(
                condition=~models.Q(coalition=models.F("member")), name="coalition_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ∈ {self.coalition}"


class Chapter(MP_Node, TimeStampedModel):
    """A node of the chapter tree: country → province → region or city → campus or workplace."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        PROVINCE = "province", _("Province or territory")
        REGION = "region", _("Region")
        CITY = "city", _("City")
        CAMPUS = "campus", _("Campus")
        WORKPLACE = "workplace", _("Workplace")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="chapters",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    languages = models.JSONField(
        _("languages"), default=list, blank=True,
        help_text=_("Language codes the chapter works in, e.g. [\"fr\", \"es\"]."),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    is_public = models.BooleanField(
        _("listed publicly"), default=True, help_text=_("Shown on the public home page."),
    )

    node_order_by = ["name"]

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")

    def __str__(self) -> str:
        return self.name


class Committee(TimeStampedModel):
    """A committee of a chapter or of a whole organization."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.JSONField(_("description"), default=dict, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="committees",
        verbose_name=_("organization"),
    )
    chapter = models.ForeignKey(
        Chapter, on_delete=models.PROTECT, null=True, blank=True, related_name="committees",
        verbose_name=_("chapter"),
        help_text=_("Empty for a committee of the whole organization."),
    )
    members = models.ManyToManyField(
        "people.Person", through="CommitteeMembership", related_name="committees",
        verbose_name=_("members"),
    )

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommitteeMembership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        CHAIR = "chair", _("Chair")
        SECRETARY = "secretary", _("Secretary")
        TREASURER = "treasurer", _("Treasurer")
        SPOKESPERSON = "spokesperson", _("Spokesperson")

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("committee"),
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="committee_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        verbose_name = _("committee membership")
        verbose_name_plural = _("committee memberships")
        constraints = [
            models.UniqueConstraint(fields=["committee", "person"], name="committee_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.committee}"


class ChapterRequest(TimeStampedModel):
    """A public "start a chapter" request, pending until a coordinator decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="chapter_requests",
        verbose_name=_("organization"),
    )
    chapter_name = models.CharField(_("proposed chapter name"), max_length=150)
    city = models.CharField(_("city or campus"), max_length=150)
    contact_name = models.CharField(_("your name"), max_length=150)
    contact_email = models.EmailField(_("your e-mail"), blank=True)
    contact_phone = models.CharField(_("your phone"), max_length=20, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.CONTENT_LANGUAGES, default="fr",
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="chapter_requests", verbose_name=_("person"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    chapter = models.ForeignKey(
        Chapter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("chapter created"),
    )

    class Meta:
        verbose_name = _("chapter request")
        verbose_name_plural = _("chapter requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.chapter_name

"""Organizations, coalitions and the chapter tree.

Nothing here names a person: committees and chapter requests, which do, live in
`membership`, above `people` (decision 0055).
"""

from django.db import models
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

"""Campaigns (basic): petitions, events and actions hang from these."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from solidaire.core.i18n import localized
from solidaire.core.models import TimeStampedModel


class Campaign(TimeStampedModel):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.JSONField(
        _("title"), default=dict, help_text=_("One title per language code."),
    )
    summary = models.JSONField(
        _("summary"), default=dict, blank=True, help_text=_("One summary per language code."),
    )
    organization = models.ForeignKey(
        "organizing.Organization", on_delete=models.PROTECT, related_name="campaigns",
        verbose_name=_("organization"),
    )
    chapter = models.ForeignKey(
        "organizing.Chapter", on_delete=models.PROTECT, null=True, blank=True,
        related_name="campaigns", verbose_name=_("chapter"),
        help_text=_("Empty for a campaign of the whole organization."),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True, db_index=True)
    story_published = models.BooleanField(
        _("public story"), default=False,
        help_text=_("Publish the campaign's timeline as a public \"how we won\" page."),
    )
    story_intro = models.JSONField(
        _("story introduction"), default=dict, blank=True,
        help_text=_("Per language: a few sentences opening the public story."),
    )

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return localized(self.title) or self.slug

    @property
    def display_title(self) -> str:
        return localized(self.title) or self.slug

    @property
    def display_summary(self) -> str:
        return localized(self.summary)


class Demand(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="demands", verbose_name=_("campaign"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.JSONField(_("text"), default=dict, help_text=_("One text per language code."))

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["campaign", "position", "id"]

    def __str__(self) -> str:
        return localized(self.text)

    @property
    def display_text(self) -> str:
        return localized(self.text)


class Milestone(TimeStampedModel):
    """A dated moment of a campaign typed by an organizer (the rest of the timeline is
    assembled from petitions, events and actions)."""

    class Kind(models.TextChoices):
        MEDIA = "media", _("Media coverage")
        MEETING = "meeting", _("Meeting with officials")
        LETTER = "letter", _("Letter sent")
        COMMITMENT = "commitment", _("Commitment obtained")
        VICTORY = "victory", _("Victory")
        ACTION = "action", _("Action")
        OTHER = "other", _("Other")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="milestones",
                                 verbose_name=_("campaign"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    happened_on = models.DateField(_("date"))
    title = models.JSONField(_("title"), default=dict, help_text=_("One title per language code."))
    description = models.JSONField(_("description"), default=dict, blank=True,
                                   help_text=_("Per language, optional."))
    outlet = models.CharField(_("outlet"), max_length=150, blank=True,
                              help_text=_("For media coverage: the newspaper, station or site."))
    url = models.URLField(_("link"), max_length=500, blank=True)
    is_public = models.BooleanField(
        _("on the public story"), default=True,
        help_text=_("Untick for a milestone organizers only should see (e.g. a private "
                    "meeting)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("added by"),
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["happened_on", "id"]

    def __str__(self) -> str:
        return localized(self.title) or self.get_kind_display()

    @property
    def display_title(self) -> str:
        return localized(self.title) or self.get_kind_display()

    @property
    def display_description(self) -> str:
        return localized(self.description)


def resource_upload_to(instance, filename: str) -> str:
    return f"toolkit/{instance.campaign_id}/{filename}"


class Resource(TimeStampedModel):
    """A toolkit item of a campaign (flyer, FAQ, backgrounder…), one per language."""

    class Kind(models.TextChoices):
        FLYER = "flyer", _("Flyer or poster")
        FAQ = "faq", _("Questions and answers")
        BACKGROUNDER = "backgrounder", _("Backgrounder")
        SCRIPT = "script", _("Script or talking points")
        SOCIAL = "social", _("Social media kit")
        OTHER = "other", _("Other")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="resources",
                                 verbose_name=_("campaign"))
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=8,
                                choices=settings.CONTENT_LANGUAGES)
    file = models.FileField(_("file"), upload_to=resource_upload_to, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True,
                          help_text=_("Instead of a file: where the resource lives."))
    is_public = models.BooleanField(_("in the public toolkit"), default=True)
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["kind", "title", "id"]

    def __str__(self) -> str:
        return self.title


# --- Targets (issue 5): the decision-makers petitions and call actions aim at. ---------


class Publication(models.TextChoices):
    """Where a petition, sign-on or action stands with the public."""

    DRAFT = "draft", _("Draft (not public)")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed (shown, no longer accepting)")


class Level(models.TextChoices):
    FEDERAL = "federal", _("Federal")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    OTHER = "other", _("Other (employer, agency…)")


class Riding(models.Model):
    """An electoral district. Loaded with the postal-prefix table (`solidaire ridings load`)."""

    level = models.CharField(_("level"), max_length=12, choices=Level.choices,
                             default=Level.FEDERAL)
    code = models.CharField(
        _("code"), max_length=20, blank=True,
        help_text=_("The official district number, e.g. 35075; empty if unknown."),
    )
    name = models.CharField(_("name"), max_length=150)
    province = models.CharField(_("province"), max_length=2, blank=True,
                                help_text=_("Two-letter code, e.g. QC or ON."))

    class Meta:
        verbose_name = _("riding")
        verbose_name_plural = _("ridings")
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["level", "name"], name="riding_level_name"),
        ]

    def __str__(self) -> str:
        return self.name


class PostalPrefixRiding(models.Model):
    """Postal codes starting with `prefix` (3 to 6 characters) lie in `riding`.

    The longest matching prefix wins; one prefix may map to several ridings when a
    forward sortation area straddles a boundary (the supporter then chooses).
    """

    prefix = models.CharField(_("postal code prefix"), max_length=6, db_index=True)
    riding = models.ForeignKey(Riding, on_delete=models.CASCADE, related_name="prefixes",
                               verbose_name=_("riding"))

    class Meta:
        verbose_name = _("postal prefix")
        verbose_name_plural = _("postal prefixes")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "riding"], name="postal_prefix_riding"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix} → {self.riding}"


class Target(TimeStampedModel):
    """A person or body a campaign presses: an MP, a minister, an employer, an agency."""

    class Kind(models.TextChoices):
        MP = "mp", _("Member of Parliament")
        MINISTER = "minister", _("Minister")
        PARLIAMENTARY_SECRETARY = "parl_secretary", _("Parliamentary secretary or assistant")
        PROVINCIAL_MEMBER = "provincial_member", _("Member of a provincial legislature")
        MUNICIPAL = "municipal", _("Mayor or councillor")
        EMPLOYER = "employer", _("Employer")
        AGENCY = "agency", _("Government agency or department")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MP)
    name = models.CharField(_("name"), max_length=150)
    role = models.JSONField(
        _("role"), default=dict, blank=True,
        help_text=_("One text per language code, e.g. Minister of Immigration."),
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices,
                             default=Level.FEDERAL)
    riding = models.ForeignKey(
        Riding, on_delete=models.SET_NULL, null=True, blank=True, related_name="targets",
        verbose_name=_("riding"),
    )
    body = models.CharField(
        _("organization"), max_length=150, blank=True,
        help_text=_("Party, department, employer or agency."),
    )
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    social = models.JSONField(
        _("public social media"), default=dict, blank=True,
        help_text=_("Network name to public handle or address."),
    )
    notes = models.TextField(_("notes for organizers"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["name", "kind", "riding"],
                                    name="target_name_kind_riding"),
        ]

    def __str__(self) -> str:
        role = self.display_role
        return f"{self.name} ({role})" if role else self.name

    @property
    def display_role(self) -> str:
        return localized(self.role)


class TargetOffice(models.Model):
    """An office of a target: where to call, write or deliver, and when it answers."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="offices",
                               verbose_name=_("target"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("label"), max_length=100, blank=True,
                             help_text=_("e.g. Constituency office, Ottawa office."))
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("E.164."))
    hours = models.CharField(_("office hours"), max_length=150, blank=True)
    address = models.TextField(_("address"), blank=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["target", "position", "id"]

    def __str__(self) -> str:
        return self.label or self.phone

"""Writes about campaigns."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext

from solidaire.core.access import require_may_own, require_unless_system
from solidaire.core.changes import changed_fields_apply, editable_check, fields_changed
from solidaire.core.ownership import same_organization_check
from solidaire.core.services import audit_log
from solidaire.people.normalize import normalize_email, normalize_phone

from . import targets_csv
from .models import (
    Campaign,
    Demand,
    Level,
    Milestone,
    PostalPrefixRiding,
    Riding,
    Target,
    TargetOffice,
)
from .selectors import campaign_may_edit, riding_named, target_same, targets_editable_by

# `actor=None` is the application itself (the demo data, commands run without --user);
# an account must be allowed by the rules in selectors.py (decision 0056).


def require_campaign_editor(actor, campaign: Campaign) -> None:
    """Refuse an account that may not edit `campaign` (its toolkit uses it too)."""
    require_unless_system(actor, lambda: campaign_may_edit(actor, campaign),
                          "this account may not edit this campaign")


def _require_target_editor(actor) -> None:
    require_unless_system(actor, lambda: targets_editable_by(actor),
                          "this account may not change targets")


@transaction.atomic
def campaign_create(
    *,
    slug: str,
    title: dict,
    organization,
    summary: dict | None = None,
    demands: Sequence[dict] = (),
    chapter=None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    is_active: bool = True,
    story_published: bool = False,
    story_intro: dict | None = None,
    actor=None,
) -> Campaign:
    same_organization_check(organization, chapter=chapter)
    require_may_own(actor, organization=organization, chapter=chapter, what="a campaign",
                    system=True)
    campaign = Campaign.objects.create(
        slug=slug, title=title, summary=summary or {}, organization=organization,
        chapter=chapter, starts_on=starts_on, ends_on=ends_on, is_active=is_active,
        story_published=story_published, story_intro=story_intro or {},
    )
    Demand.objects.bulk_create(
        [Demand(campaign=campaign, position=i, text=text) for i, text in enumerate(demands)]
    )
    audit_log(action="solidaire.campaign.created", actor=actor, obj=campaign)
    return campaign


# What the organizer pages may change on a campaign (demands go through demands_replace).
CAMPAIGN_EDITABLE = ("slug", "title", "summary", "organization", "chapter", "starts_on",
                     "ends_on", "is_active", "story_published", "story_intro")


@transaction.atomic
def demands_replace(*, campaign: Campaign, demands: list[dict], actor=None) -> list[Demand]:
    """Make the campaign's demands exactly `demands`, in that order.

    Existing rows are reused position by position (their ids stay), extra rows are
    deleted and missing ones created. The audit log notes it only when something changed.
    """
    require_campaign_editor(actor, campaign)
    existing = list(campaign.demands.order_by("position", "id"))
    kept: list[Demand] = []
    changed = len(existing) != len(demands)
    for position, text in enumerate(demands):
        if position < len(existing):
            demand = existing[position]
            if (demand.position, demand.text) != (position, text):
                demand.position, demand.text = position, text
                demand.save(update_fields=["position", "text"])
                changed = True
        else:
            demand = Demand.objects.create(campaign=campaign, position=position, text=text)
        kept.append(demand)
    Demand.objects.filter(pk__in=[d.pk for d in existing[len(demands):]]).delete()
    if changed:
        audit_log(action="solidaire.campaign.demands.replaced", actor=actor, obj=campaign,
                  data={"count": len(kept)})
    return kept


@transaction.atomic
def campaign_update(
    *, campaign: Campaign, actor=None, demands: list[dict] | None = None, **fields,
) -> Campaign:
    """Change a campaign's details; with `demands`, also replace its list of demands.

    The chapter, when there is one, must belong to the campaign's organization, and
    the campaign cannot end before it starts.
    """
    editable_check(fields, CAMPAIGN_EDITABLE)
    require_campaign_editor(actor, campaign)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    organization = fields.get("organization", campaign.organization)
    chapter = fields.get("chapter", campaign.chapter)
    same_organization_check(organization, chapter=chapter)
    if "organization" in fields or "chapter" in fields:
        require_may_own(actor, organization=organization, chapter=chapter, what="a campaign",
                        system=True)
    starts_on = fields.get("starts_on", campaign.starts_on)
    ends_on = fields.get("ends_on", campaign.ends_on)
    if starts_on and ends_on and ends_on < starts_on:
        raise ValueError("a campaign cannot end before it starts")
    changed = changed_fields_apply(campaign, fields)
    audit_log(action="solidaire.campaign.changed", actor=actor, obj=campaign,
              data={"fields": changed})
    if demands is not None:
        demands_replace(campaign=campaign, demands=demands, actor=actor)
    return campaign


# -- targets (issue 5) --------------------------------------------------------------------
# Targets are public figures and bodies shared by every organization on the site
# (decision 0019): any organizer may add and change them.

# What the organizer pages and the import may change on a target (offices apart).
TARGET_EDITABLE = ("kind", "name", "role", "level", "riding", "body", "email", "languages",
                   "social", "notes", "is_active")
OFFICE_FIELDS = ("label", "phone", "hours", "address")
MAX_OFFICES = 3


def _office_clean(office: dict) -> dict:
    """An office as stored: known keys only, text trimmed, the phone in E.164."""
    cleaned = {name: str(office.get(name) or "").strip() for name in OFFICE_FIELDS}
    if cleaned["phone"]:
        cleaned["phone"] = normalize_phone(cleaned["phone"])
    return cleaned


def _target_clean(fields: dict) -> dict:
    cleaned = dict(fields)
    if "name" in cleaned:
        cleaned["name"] = " ".join(str(cleaned["name"]).split())
        if not cleaned["name"]:
            raise ValueError("a target needs a name")
    if "email" in cleaned:
        cleaned["email"] = normalize_email(cleaned["email"]) if cleaned["email"] else ""
    if "role" in cleaned:
        cleaned["role"] = {code: text.strip() for code, text in (cleaned["role"] or {}).items()
                           if text and text.strip()}
    if "social" in cleaned:
        cleaned["social"] = {network: value.strip()
                             for network, value in (cleaned["social"] or {}).items()
                             if value and value.strip()}
    if "languages" in cleaned:
        cleaned["languages"] = list(dict.fromkeys(cleaned["languages"] or []))
    return cleaned


@transaction.atomic
def riding_find_or_create(*, name: str, level: str, code: str = "",
                          province: str = "") -> Riding:
    """The riding of `level` with this code (when given) or name, created when missing.

    An organizer who types a riding that the prefix table did not load gets one; a
    later `ridings load` finds it again by its code or name.
    """
    name = " ".join((name or "").split())
    code = (code or "").strip()
    riding = None
    if code:
        riding = Riding.objects.filter(level=level, code=code).first()
    if riding is None and name:
        riding = riding_named(name, level=level)
    if riding is None:
        if not name:
            raise ValueError("a new riding needs a name")
        riding = Riding.objects.create(level=level, name=name, code=code,
                                       province=(province or "").upper())
    else:
        missing = {key: value for key, value in (("code", code), ("province", province.upper()))
                   if value and not getattr(riding, key)}
        for key, value in missing.items():
            setattr(riding, key, value)
        if missing:
            riding.save(update_fields=list(missing))
    return riding


@transaction.atomic
def target_offices_replace(*, target: Target, offices: list[dict]) -> list[TargetOffice]:
    """Make the target's offices exactly `offices` (at most three), in that order.

    Rows are reused position by position; offices with nothing typed are dropped.
    Raises ValidationError for a phone that is not one.
    """
    wanted = [office for office in (_office_clean(o) for o in offices) if any(office.values())]
    if len(wanted) > MAX_OFFICES:
        raise ValueError(f"at most {MAX_OFFICES} offices")
    existing = list(target.offices.order_by("position", "id"))
    kept = []
    for position, values in enumerate(wanted):
        if position < len(existing):
            office = existing[position]
            changed_fields_apply(office, {**values, "position": position})
        else:
            office = TargetOffice.objects.create(target=target, position=position, **values)
        kept.append(office)
    TargetOffice.objects.filter(pk__in=[o.pk for o in existing[len(wanted):]]).delete()
    return kept


def target_create(*, actor=None, **fields) -> Target:
    """Record a decision-maker (see `_target_create`); coordinators and chapter organizers
    only (`targets_editable_by`)."""
    _require_target_editor(actor)
    return _target_create(actor=actor, **fields)


def target_update(*, target: Target, actor=None, **fields) -> Target:
    """Change a target (see `_target_update`); coordinators and chapter organizers only."""
    _require_target_editor(actor)
    return _target_update(target=target, actor=actor, **fields)


@transaction.atomic
def _target_create(
    *,
    name: str,
    kind: str = Target.Kind.MP,
    role: dict | None = None,
    level: str = Level.FEDERAL,
    riding: Riding | None = None,
    body: str = "",
    email: str = "",
    languages: Sequence[str] = (),
    social: dict | None = None,
    notes: str = "",
    is_active: bool = True,
    offices: Sequence[dict] = (),
    riding_name: str = "",
    actor=None,
) -> Target:
    """Record a decision-maker; raises ValidationError for a bad e-mail or phone.

    `riding_name`, when no `riding` is given, names a riding of the target's level,
    found or created.
    """
    if riding is None and riding_name.strip():
        riding = riding_find_or_create(name=riding_name, level=level)
    fields = _target_clean({
        "name": name, "kind": kind, "role": role or {}, "level": level, "riding": riding,
        "body": (body or "").strip(), "email": email, "languages": list(languages),
        "social": social or {}, "notes": (notes or "").strip(), "is_active": is_active,
    })
    target = Target.objects.create(**fields)
    target_offices_replace(target=target, offices=list(offices))
    audit_log(action="solidaire.target.created", actor=actor, obj=target)
    return target


@transaction.atomic
def _target_update(*, target: Target, actor=None, offices: list[dict] | None = None,
                   riding_name: str = "", **fields) -> Target:
    """Change a target's details; with `offices`, also replace its offices.

    `riding_name`, when `riding` is given as None, names the riding (found or created).
    """
    editable_check(fields, TARGET_EDITABLE)
    if riding_name.strip() and fields.get("riding") is None:
        fields["riding"] = riding_find_or_create(
            name=riding_name, level=fields.get("level", target.level))
    fields = _target_clean(fields)
    target = Target.objects.select_for_update().get(pk=target.pk)
    changed = changed_fields_apply(target, fields)
    if offices is not None:
        before = [(o.label, o.phone, o.hours, o.address) for o in target.offices.all()]
        after = target_offices_replace(target=target, offices=offices)
        if before != [(o.label, o.phone, o.hours, o.address) for o in after]:
            changed.append("offices")
    if changed:
        audit_log(action="solidaire.target.updated", actor=actor, obj=target,
                  data={"fields": changed})
    return target


@dataclass
class ImportSummary:
    """What an import did; `problems` are (row number, message in the active language)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def _row_target_fields(values: dict[str, str], *, language: str) -> dict:
    """The target a row describes, as service arguments; raises ValueError(message)."""
    name = " ".join(values.get("name", "").split())
    if not name:
        raise ValueError(gettext("The name is empty."))
    kind = targets_csv.kind_from_text(values.get("kind", ""))
    if kind is None:
        raise ValueError(gettext("“%(value)s” is not a kind of target we know (for example "
                                 "MP, minister, employer).") % {"value": values["kind"]})
    level = targets_csv.level_from_text(values.get("level", ""), kind=kind)
    if level is None:
        raise ValueError(gettext("“%(value)s” is not a level we know (federal, provincial, "
                                 "municipal or other).") % {"value": values["level"]})
    province = values.get("province", "").strip().upper()
    if province and province not in targets_csv.PROVINCES:
        raise ValueError(gettext("“%(value)s” is not a province code such as QC or ON.")
                         % {"value": values["province"]})
    email = values.get("email", "")
    if email:
        try:
            email = normalize_email(email)
        except ValidationError:
            raise ValueError(gettext("“%(value)s” is not an e-mail address.")
                             % {"value": email}) from None
    phone = values.get("phone", "")
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from None
    languages, unknown = targets_csv.languages_from_text(values.get("languages", ""))
    if unknown:
        raise ValueError(gettext("“%(value)s” is not a language we know.")
                         % {"value": ", ".join(unknown)})
    role = {}
    if values.get("role"):
        role[language] = values["role"]
    for code in ("fr", "en"):
        if values.get(f"role_{code}"):
            role[code] = values[f"role_{code}"]
    office = {"label": values.get("office", ""), "phone": phone,
              "hours": values.get("hours", ""), "address": values.get("address", "")}
    return {
        "name": name, "kind": kind, "level": level, "role": role,
        "riding_name": values.get("riding", ""), "riding_code": values.get("riding_code", ""),
        "province": province, "body": values.get("organization", ""), "email": email,
        "languages": languages,
        "social": {network: values[network] for network in targets_csv.SOCIAL_NETWORKS
                   if values.get(network)},
        "notes": values.get("notes", ""),
        "office": office if any(office.values()) else None,
    }


def _office_merge(target: Target, office: dict) -> list[dict] | None:
    """The target's offices with the row's office added or updated (matched by label,
    else by phone); None when nothing changes."""
    offices = [{name: getattr(o, name) for name in OFFICE_FIELDS} for o in target.offices.all()]
    match = None
    if office["label"]:
        match = next((o for o in offices if o["label"].lower() == office["label"].lower()),
                     None)
    if match is None and office["phone"]:
        match = next((o for o in offices if o["phone"] == office["phone"]), None)
    if match is None:
        if len(offices) >= MAX_OFFICES:
            raise ValueError(gettext("This target already has three offices; this row would "
                                     "add a fourth."))
        return [*offices, office]
    merged = {name: office[name] or match[name] for name in OFFICE_FIELDS}
    if merged == match:
        return None
    match.update(merged)
    return offices


def _row_import(row: dict, *, update: bool, created: set[int], actor) -> tuple[str, int]:
    """Create or update the target of one row: ("created", "updated" or "unchanged", pk).

    A target created by an earlier row of the same file is always completed (a second
    row adds its other office), even without `update`.
    """
    riding = None
    if row["riding_name"] or row["riding_code"]:
        if not row["riding_name"] and not Riding.objects.filter(
                level=row["level"], code=row["riding_code"]).exists():
            raise ValueError(gettext("No riding has the code “%(code)s”: give the riding's "
                                     "name too.") % {"code": row["riding_code"]})
        riding = riding_find_or_create(name=row["riding_name"], level=row["level"],
                                       code=row["riding_code"], province=row["province"])
    target = target_same(name=row["name"], kind=row["kind"], riding=riding)
    office = row["office"]
    if target is None:
        target = _target_create(
            name=row["name"], kind=row["kind"], role=row["role"], level=row["level"],
            riding=riding, body=row["body"], email=row["email"], languages=row["languages"],
            social=row["social"], notes=row["notes"], offices=[office] if office else [],
            actor=actor,
        )
        created.add(target.pk)
        return "created", target.pk
    if not update and target.pk not in created:
        return "unchanged", target.pk
    # An empty cell never erases what is recorded: only what the row gives changes.
    fields = {"name": row["name"], "level": row["level"]}
    for name in ("body", "email", "notes"):
        if row[name]:
            fields[name] = row[name]
    if row["role"]:
        fields["role"] = {**target.role, **row["role"]}
    if row["social"]:
        fields["social"] = {**target.social, **row["social"]}
    if row["languages"]:
        fields["languages"] = row["languages"]
    offices = _office_merge(target, office) if office else None
    before = target.updated_at
    target = _target_update(target=target, actor=actor, offices=offices, **fields)
    changed = target.updated_at != before or offices is not None
    if target.pk in created:
        return "created", target.pk
    return ("updated" if changed else "unchanged"), target.pk


_OUTCOME_RANK = ("unchanged", "updated", "created")


@transaction.atomic
def targets_import(*, content: bytes, update: bool = True, language: str | None = None,
                   actor=None) -> ImportSummary:
    """Create the targets of a CSV file, and with `update` change those already recorded
    (same name, kind and riding). A bad row is reported and left out; the others are
    imported. Raises targets_csv.CsvFileError when the file cannot be read at all.

    `language` is the language of a plain "role" column (the importer's, by default).
    """
    _require_target_editor(actor)
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    language = language.split("-")[0]
    table = targets_csv.targets_table(content)
    summary = ImportSummary(ignored_columns=table.ignored)
    created: set[int] = set()
    outcomes: dict[int, str] = {}
    for number, values in table.rows:
        try:
            with transaction.atomic():  # a failing row leaves the others alone
                outcome, pk = _row_import(_row_target_fields(values, language=language),
                                          update=update, created=created, actor=actor)
        except ValueError as error:
            summary.problems.append((number, str(error)))
            continue
        except ValidationError as error:
            summary.problems.append((number, " ".join(error.messages)))
            continue
        except IntegrityError:
            summary.problems.append((number, gettext(
                "Another row of the file or another target already has this name, kind "
                "and riding.")))
            continue
        # Several rows may describe one target (one office each): count targets, each
        # by what happened to it most (created, else updated, else unchanged).
        outcomes[pk] = max(outcome, outcomes.get(pk, outcome), key=_OUTCOME_RANK.index)
    for outcome in outcomes.values():
        setattr(summary, outcome, getattr(summary, outcome) + 1)
    audit_log(action="solidaire.targets.imported", actor=actor, data={
        "created": summary.created, "updated": summary.updated,
        "unchanged": summary.unchanged, "problems": len(summary.problems),
    })
    return summary


# -- the postal-prefix-to-riding table ----------------------------------------------------


@dataclass
class RidingsLoadSummary:
    ridings_created: int = 0
    ridings_updated: int = 0
    prefixes: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)


@transaction.atomic
def ridings_load(*, content: bytes, level: str, actor=None) -> RidingsLoadSummary:
    """Replace the postal-prefix table of `level` with the file's (see docs/ridings-table.md).

    Ridings are found by code, else by name, and kept (targets point at them); their
    prefixes are all replaced, in one transaction. A bad line is reported and skipped.
    """
    if level not in Level.values:
        raise ValueError(f"unknown level {level!r}")
    summary = RidingsLoadSummary()
    by_code = {r.code: r for r in Riding.objects.filter(level=level).exclude(code="")}
    by_name = {r.name.lower(): r for r in Riding.objects.filter(level=level)}
    pairs: set[tuple[str, int]] = set()
    touched: set[int] = set()
    for number, values in targets_csv.ridings_table(content):
        prefix = targets_csv.prefix_clean(values["prefix"])
        name = " ".join(values["riding_name"].split())
        code = values["riding_code"].strip()
        province = values["province"].strip().upper()
        if prefix is None:
            summary.problems.append((number, gettext(
                "“%(value)s” is not the start of a postal code (3 to 6 characters, e.g. "
                "H2X or H2X1Y4).") % {"value": values["prefix"]}))
            continue
        if not name:
            summary.problems.append((number, gettext("The riding name is empty.")))
            continue
        if province and province not in targets_csv.PROVINCES:
            summary.problems.append((number, gettext(
                "“%(value)s” is not a province code such as QC or ON.")
                % {"value": values["province"]}))
            continue
        riding = by_code.get(code) if code else None
        riding = riding or by_name.get(name.lower())
        if riding is None:
            riding = Riding.objects.create(level=level, code=code, name=name,
                                           province=province)
            summary.ridings_created += 1
            touched.add(riding.pk)
        elif riding.pk not in touched:
            wanted = {"name": name, "code": code or riding.code,
                      "province": province or riding.province}
            if "name" in fields_changed(riding, wanted) and name.lower() in by_name and \
                    by_name[name.lower()].pk != riding.pk:
                summary.problems.append((number, gettext(
                    "Two ridings would be called %(name)s.") % {"name": name}))
                continue
            if changed_fields_apply(riding, wanted):
                summary.ridings_updated += 1
            touched.add(riding.pk)
        if riding.code:
            by_code[riding.code] = riding
        by_name[riding.name.lower()] = riding
        pairs.add((prefix, riding.pk))
    PostalPrefixRiding.objects.filter(riding__level=level).delete()
    PostalPrefixRiding.objects.bulk_create(
        [PostalPrefixRiding(prefix=prefix, riding_id=riding_id)
         for prefix, riding_id in sorted(pairs)],
        batch_size=5000,
    )
    summary.prefixes = len(pairs)
    audit_log(action="solidaire.ridings.loaded", actor=actor, data={
        "level": level, "prefixes": summary.prefixes,
        "ridings_created": summary.ridings_created, "ridings_updated": summary.ridings_updated,
        "problems": len(summary.problems),
    })
    return summary


# -- milestones (issue 7): the dated moments organizers add to a campaign's timeline -----

MILESTONE_EDITABLE = ("kind", "happened_on", "title", "description", "outlet", "url",
                      "is_public")


def _milestone_clean(fields: dict) -> dict:
    cleaned = dict(fields)
    for name in ("title", "description"):
        if name in cleaned:
            cleaned[name] = {code: text.strip() for code, text in (cleaned[name] or {}).items()
                             if text and text.strip()}
    if "title" in cleaned and not cleaned["title"]:
        raise ValueError("a milestone needs a title")
    if "kind" in cleaned and cleaned["kind"] not in Milestone.Kind.values:
        raise ValueError(f"unknown milestone kind {cleaned['kind']!r}")
    for name in ("outlet", "url"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    return cleaned


@transaction.atomic
def milestone_create(
    *,
    campaign: Campaign,
    kind: str,
    happened_on: datetime.date,
    title: dict,
    description: dict | None = None,
    outlet: str = "",
    url: str = "",
    is_public: bool = True,
    actor=None,
) -> Milestone:
    """Add a milestone to the campaign's timeline; raises ValueError without a title."""
    require_campaign_editor(actor, campaign)
    fields = _milestone_clean({
        "kind": kind, "happened_on": happened_on, "title": title,
        "description": description or {}, "outlet": outlet, "url": url,
        "is_public": is_public,
    })
    milestone = Milestone.objects.create(
        campaign=campaign, created_by=actor if getattr(actor, "is_authenticated", False)
        else None, **fields)
    audit_log(action="solidaire.milestone.created", actor=actor, obj=milestone,
              data={"campaign": campaign.pk, "kind": milestone.kind})
    return milestone


@transaction.atomic
def milestone_update(*, milestone: Milestone, actor=None, **fields) -> Milestone:
    """Change a milestone (the fields of MILESTONE_EDITABLE)."""
    editable_check(fields, MILESTONE_EDITABLE)
    fields = _milestone_clean(fields)
    milestone = (Milestone.objects.select_for_update(of=("self",)).select_related("campaign")
                 .get(pk=milestone.pk))
    require_campaign_editor(actor, milestone.campaign)
    changed = changed_fields_apply(milestone, fields)
    if changed:
        audit_log(action="solidaire.milestone.updated", actor=actor, obj=milestone,
                  data={"campaign": milestone.campaign_id, "fields": changed})
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone, actor=None) -> None:
    require_campaign_editor(actor, milestone.campaign)
    audit_log(action="solidaire.milestone.deleted", actor=actor, obj=milestone,
              data={"campaign": milestone.campaign_id, "kind": milestone.kind})
    milestone.delete()

"""`solidaire people export`: the people an account may see, to a CSV or XLSX file.

Wired into the `people` command as its `export` subcommand (`add_export_arguments`,
`run_export`). The export is the one of the organizer pages (decision 0016): scoped
to the account named by `--user`, audited under that account, and with status
columns only when `--with-status` is given and the account has status access.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, OutputWrapper
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solidaire.core.access import scope_for

from ..exporting import COLUMNS, DEFAULT_COLUMNS, ExportTooLarge, Format, people_export
from ..models import Person, Tag
from ..selectors import people_filter, people_visible_to, status_access


def add_export_arguments(parser) -> None:
    parser.add_argument("--user", required=True,
                        help="Username of the organizer account: the export is limited to "
                             "the people it may see, and audited under it.")
    parser.add_argument("--format", dest="file_format", choices=[Format.CSV, Format.XLSX],
                        default=Format.CSV)
    parser.add_argument("--output", default="",
                        help="File to write. Without it, CSV goes to standard output "
                             "(XLSX needs a file).")
    parser.add_argument("--chapter", default="", help="Chapter slug (includes its sub-chapters).")
    parser.add_argument("--tag", default="", help="Only people with this tag.")
    parser.add_argument("--columns", default=",".join(DEFAULT_COLUMNS),
                        help=f"Comma-separated, among: {', '.join(COLUMNS)}; or 'all'.")
    parser.add_argument("--language", default=settings.LANGUAGE_CODE,
                        choices=[code for code, _name in settings.LANGUAGES],
                        help="Language of the column headers.")
    parser.add_argument("--with-status", action="store_true",
                        help="Add the immigration status columns (status-access accounts "
                             "only; the export is audited as including status).")


def _user(username: str):
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("No active account is called %(name)s.") % {"name": username})
    if scope_for(user).is_empty:
        raise CommandError(_("The account %(name)s may not see any people.")
                           % {"name": username})
    return user


def _columns(text: str) -> list[str]:
    if text.strip() == "all":
        return list(COLUMNS)
    columns = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in columns if name not in COLUMNS]
    if unknown or not columns:
        raise CommandError(_("Unknown columns: %(names)s. Choose among: %(all)s.")
                           % {"names": ", ".join(unknown) or "-", "all": ", ".join(COLUMNS)})
    return columns


def _people(user, *, chapter_slug: str, tag_name: str):
    people, filters = people_visible_to(user), {}
    if chapter_slug:
        chapters = Person._meta.get_field("home_chapter").related_model.objects.all()
        chapter = scope_for(user).filter(chapters, "").filter(slug=chapter_slug).first()
        if chapter is None:
            raise CommandError(_("No chapter %(slug)s among the chapters this account sees.")
                               % {"slug": chapter_slug})
        people, filters["chapter"] = people_filter(people, chapter=chapter), chapter.slug
    if tag_name:
        tag = Tag.objects.filter(name=tag_name).first()
        if tag is None:
            raise CommandError(_("No tag is called %(name)s.") % {"name": tag_name})
        people, filters["tag"] = people_filter(people, tag=tag), tag.name
    return people, filters


def run_export(options: dict, stdout) -> None:
    """Run the export described by `options` (parsed by `add_export_arguments`).

    Returns nothing: a command's `handle` writes what it returns to standard output,
    which would corrupt a CSV written there."""
    if not isinstance(stdout, OutputWrapper):
        stdout = OutputWrapper(stdout)
    user = _user(options["user"])
    file_format, output = options.get("file_format") or Format.CSV, options.get("output") or ""
    if file_format == Format.XLSX and not output:
        raise CommandError(_("An XLSX file needs --output FILE."))
    with_status = bool(options.get("with_status"))
    if with_status and not status_access(user):
        raise CommandError(_("The account %(name)s may not see immigration status.")
                           % {"name": user.get_username()})
    columns = _columns(options.get("columns") or ",".join(DEFAULT_COLUMNS))
    people, filters = _people(user, chapter_slug=options.get("chapter") or "",
                              tag_name=options.get("tag") or "")
    with translation.override(options.get("language") or settings.LANGUAGE_CODE):
        try:
            export = people_export(user=user, queryset=people.order_by("chosen_name", "id"),
                                   columns=columns, file_format=file_format,
                                   include_status=with_status, filters=filters, via="command")
        except (ExportTooLarge, PermissionDenied) as error:
            raise CommandError(str(error)) from error
        if export.file is not None:
            with export.file, open(output, "wb") as target:
                while block := export.file.read(1 << 20):
                    target.write(block)
        elif output:
            with open(output, "wb") as target:
                for chunk in export.chunks:
                    target.write(chunk)
        else:
            for chunk in export.chunks:
                stdout.write(chunk.decode("utf-8"), ending="")
    if output:
        stdout.write(ngettext("%(count)s person exported to %(file)s.",
                              "%(count)s people exported to %(file)s.", export.count)
                     % {"count": export.count, "file": output})

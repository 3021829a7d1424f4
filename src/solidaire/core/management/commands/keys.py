"""`solidaire keys …`: rotate the field encryption keys, remove old ones, shred status.

See docs/keys-runbook.md. Every operation writes an audit entry with key ids only.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from solidaire.core.crypto import (
    keys_pending_count,
    keys_reencrypt_batch,
    keys_remove_old,
    keys_rotate_start,
    keys_shred,
)
from solidaire.core.keys import KeyringError, keyring_load
from solidaire.core.management.language import TerminalLanguageMixin

SHRED_PHRASE = "destroy every immigration status"


class Command(TerminalLanguageMixin, BaseCommand):
    help = (
        "Field encryption keys: `list`, `rotate` (new primary key, re-encrypt in "
        "resumable batches), `remove-old` (once nothing uses them), `shred-status` "
        "(destroy the status key: every status reads as erased)."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="operation", required=True)
        commands.add_parser("list", help="Show the keys (ids only) and how many rows wait.")
        rotate = commands.add_parser(
            "rotate", help="Add a new primary key and re-encrypt every encrypted column. "
                           "A rerun continues an interrupted rotation.",
        )
        rotate.add_argument("--batch-size", type=int, default=1000)
        commands.add_parser("remove-old", help="Remove keys no row uses any more.")
        shred = commands.add_parser(
            "shred-status", help="Destroy the immigration status key(s). Cannot be undone.",
        )
        shred.add_argument("--confirm", default=None,
                           help=f'Type the phrase "{SHRED_PHRASE}" to confirm.')

    def handle(self, *, operation, **options):
        try:
            getattr(self, operation.replace("-", "_"))(**options)
        except KeyringError as error:
            raise CommandError(str(error)) from error

    def list(self, **options):
        keyring = keyring_load()
        source = keyring.path or "SOLIDAIRE_FIELD_KEYS"
        self.stdout.write(_("Keys from %(source)s:") % {"source": source})
        for key in keyring.keys:
            marker = pgettext("encryption key", "primary") if key.primary else _("old")
            self.stdout.write(f"  {key.id}  {key.purpose}  {marker}  {key.created}")
        shredded = pgettext("encryption key", "shredded")
        for entry in keyring.shredded:
            self.stdout.write(f"  {entry['id']}  {entry['purpose']}  {shredded}  {entry['at']}")
        try:
            pending = keys_pending_count()
        except DatabaseError:
            self.stdout.write(_("(The database is not migrated: no rows counted.)"))
            return
        self.stdout.write(_("Rows waiting for the primary key: %(count)s") % {"count": pending})

    def rotate(self, *, batch_size, **options):
        if batch_size < 1:
            raise CommandError(_("--batch-size must be at least 1."))
        pending = keys_pending_count()
        if pending:
            self.stdout.write(_("Continuing an unfinished rotation: %(count)s rows to go.")
                              % {"count": pending})
        else:
            added = keys_rotate_start()
            self.stdout.write(_("New primary key: %(ids)s") % {"ids": ", ".join(added)})
            pending = keys_pending_count()
        done = 0
        while True:
            count = keys_reencrypt_batch(batch_size=batch_size)
            if not count:
                break
            done += count
            self.stdout.write(_("  re-encrypted %(done)s of %(total)s rows")
                              % {"done": done, "total": pending})
        self.stdout.write(self.style.SUCCESS(_(
            "Rotation finished. Back up the keys file, then run `solidaire keys remove-old`."
        )))

    def remove_old(self, **options):
        removed = keys_remove_old()
        if removed:
            self.stdout.write(self.style.SUCCESS(
                _("Removed: %(ids)s") % {"ids": ", ".join(removed)}))
        else:
            self.stdout.write(_("No old key to remove."))

    def shred_status(self, *, confirm, **options):
        if confirm is None and self.stdin_is_tty():
            self.stdout.write(_(
                "This destroys the immigration status key. Every recorded status will read "
                "as erased, for good (backups of the keys file excepted)."
            ))
            confirm = input(_('Type "%(phrase)s" to go on: ') % {"phrase": SHRED_PHRASE})
        if (confirm or "").strip() != SHRED_PHRASE:
            raise CommandError(_('Not confirmed: nothing was destroyed. Confirm with '
                                 '--confirm "%(phrase)s".') % {"phrase": SHRED_PHRASE})
        gone = keys_shred(purpose="status")
        self.stdout.write(self.style.SUCCESS(
            _("Shredded: %(ids)s. Every status now reads as erased; a new key seals new ones.")
            % {"ids": ", ".join(gone) or "—"}
        ))

    @staticmethod
    def stdin_is_tty() -> bool:
        import sys

        return sys.stdin.isatty()

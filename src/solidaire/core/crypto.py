"""Field encryption: one AES-256-GCM value per column, bound to its table, column and row.

A sealed value is text: `v1:<key id>:<base64 nonce>:<base64 ciphertext+tag>`. The
associated data is `<table>.<column>.<row pk>`, so a value copied to another row or
column does not open. Before encryption the plaintext is padded to a multiple of a
block size, so that values of one column have the same length (a category "citizen"
and "closed_work_permit" look alike in a database copy).

Opening never returns ciphertext or a wrong value: it returns the plaintext, raises
`DecryptionError`, or — only for a key destroyed by `solidaire keys shred-status` —
returns `ERASED`.
"""

from __future__ import annotations

import base64
import binascii
import enum
import secrets
from dataclasses import dataclass
from typing import Final, cast

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from .keys import PURPOSES, KeyringError, keyring_for_change, keyring_load, keyring_save
from .services import audit_log

VERSION = "v1"
NONCE_BYTES = 12


class DecryptionError(Exception):
    """A sealed value does not open: wrong key, missing key, or moved to another row/column."""


class Erased(enum.Enum):
    """What a value sealed with a shredded key reads as. Falsy; prints as "erased".

    A one-member enum, so that `value is ERASED` narrows `str | Erased` to `str` for the
    type checker (decision 0058).
    """

    ERASED = "erased"

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return str(_("erased"))

    def __repr__(self) -> str:
        return "ERASED"


ERASED: Final = Erased.ERASED


def associated_data(model: type[models.Model], column: str, pk) -> bytes:
    return f"{model._meta.db_table}.{column}.{pk}".encode()


def _pad(data: bytes, block: int) -> bytes:
    # ISO/IEC 7816-4: a 0x80 byte, then zeros up to a multiple of the block.
    data += b"\x80"
    return data + b"\x00" * (-len(data) % block)


def _unpad(data: bytes) -> bytes:
    end = data.rstrip(b"\x00")
    if not end.endswith(b"\x80"):
        raise DecryptionError("The value opened but its padding is wrong.")
    return end[:-1]


_ciphers: dict[bytes, AESGCM] = {}


def _cipher(secret: bytes) -> AESGCM:
    # Building an AESGCM costs more than sealing a short value: keep one per key.
    cipher = _ciphers.get(secret)
    if cipher is None:
        cipher = _ciphers[secret] = AESGCM(secret)
    return cipher


def seal(plaintext: str, *, purpose: str, aad: bytes, block: int = 32, keyring=None) -> str:
    """Encrypt `plaintext` with the primary key of `purpose`."""
    key = (keyring or keyring_load()).primary(purpose)
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = _cipher(key.secret).encrypt(nonce, _pad(plaintext.encode("utf-8"), block), aad)
    return ":".join((
        VERSION, key.id,
        base64.b64encode(nonce).decode("ascii"), base64.b64encode(sealed).decode("ascii"),
    ))


def key_id_of(token: str) -> str:
    parts = (token or "").split(":")
    if len(parts) != 4 or parts[0] != VERSION:
        raise DecryptionError("This is not a sealed value.")
    return parts[1]


def unseal(token: str, *, aad: bytes, keyring=None) -> str | Erased:
    """The plaintext of a sealed value, ERASED if its key was shredded; else raise."""
    key_id = key_id_of(token)
    keyring = keyring or keyring_load()
    key = keyring.get(key_id)
    if key is None:
        if keyring.is_shredded(key_id):
            return ERASED
        raise DecryptionError(f"The key {key_id} is not in the keyring.")
    _version, _kid, nonce, sealed = token.split(":")
    try:
        padded = _cipher(key.secret).decrypt(
            base64.b64decode(nonce, validate=True), base64.b64decode(sealed, validate=True), aad,
        )
    except (InvalidTag, binascii.Error, ValueError) as error:
        raise DecryptionError(
            "The value does not open with its key for this row and column "
            "(wrong key, or copied from elsewhere)."
        ) from error
    try:
        return _unpad(padded).decode("utf-8")
    except UnicodeDecodeError as error:
        raise DecryptionError("The value opened but is not text.") from error


@dataclass(frozen=True)
class SealedColumns:
    """The encrypted columns of one model, for rotation and shredding.

    `fields` maps a field name to its padding block. Every column of a row is sealed
    with the same key, so the first column's key id tells which key a row uses.
    """

    model: type[models.Model]
    purpose: str
    fields: dict[str, int]

    def aad(self, field_name: str, pk) -> bytes:
        # A sealed field is a concrete column, never a relation.
        column = cast("models.Field", self.model._meta.get_field(field_name)).column
        return associated_data(self.model, column, pk)

    def seal(self, field_name: str, plaintext: str, pk, keyring=None) -> str:
        return seal(plaintext, purpose=self.purpose, aad=self.aad(field_name, pk),
                    block=self.fields[field_name], keyring=keyring)

    def unseal(self, field_name: str, token: str, pk, keyring=None) -> str | Erased:
        return unseal(token, aad=self.aad(field_name, pk), keyring=keyring)

    def using_key(self, key_id: str) -> models.Q:
        """Rows with at least one column sealed with `key_id`."""
        q = models.Q(pk__in=[])
        for name in self.fields:
            q |= models.Q(**{f"{name}__startswith": f"{VERSION}:{key_id}:"})
        return q

    def using_only(self, key_id: str) -> models.Q:
        """Rows whose every column is sealed with `key_id`."""
        q = models.Q()
        for name in self.fields:
            q &= models.Q(**{f"{name}__startswith": f"{VERSION}:{key_id}:"})
        return q


SEALED: list[SealedColumns] = []


def sealed_columns_register(*, model, purpose: str, fields: dict[str, int]) -> SealedColumns:
    """Declare a model's encrypted columns (called by the app that owns the model)."""
    columns = SealedColumns(model=model, purpose=purpose, fields=dict(fields))
    SEALED.append(columns)
    return columns


# Key operations (`solidaire keys …`). Each writes an audit entry naming key ids only.


def rows_pending(columns: SealedColumns, keyring) -> models.QuerySet:
    """Rows of `columns` not yet sealed with the primary key (and not shredded)."""
    primary_id = keyring.primary(columns.purpose).id
    rows = columns.model._default_manager.exclude(columns.using_only(primary_id))
    for key_id in keyring.shredded_ids(columns.purpose):
        rows = rows.exclude(columns.using_key(key_id))
    return rows


def keys_pending_count(keyring=None) -> int:
    keyring = keyring or keyring_load()
    return sum(rows_pending(columns, keyring).count() for columns in SEALED)


def keys_reencrypt_batch(*, batch_size: int) -> int:
    """Re-seal up to `batch_size` rows with the primary keys; how many were done.

    One transaction per batch: an interrupted run keeps what it did, and the next run
    continues with the rows still on an old key.
    """
    keyring = keyring_load()
    done = 0
    for columns in SEALED:
        with transaction.atomic():
            rows = list(
                rows_pending(columns, keyring).select_for_update().order_by("pk")[:batch_size]
            )
            for row in rows:
                values = {}
                for name in columns.fields:
                    plaintext = columns.unseal(name, getattr(row, name), row.pk, keyring=keyring)
                    if plaintext is ERASED:
                        raise KeyringError(f"Row {row.pk} mixes a shredded key with live keys.")
                    values[name] = columns.seal(name, plaintext, row.pk, keyring=keyring)
                # .update(): rotation is not a change of the status (updated_at stays).
                columns.model._default_manager.filter(pk=row.pk).update(**values)
                done += 1
        if rows:
            return done
    return done


def keys_rotate_start(*, actor=None) -> list[str]:
    """Add a new primary key for every purpose; the new key ids."""
    keyring = keyring_for_change()
    added = [keyring.add_primary(purpose).id for purpose in PURPOSES]
    keyring_save(keyring)
    audit_log(action="solidaire.keys.rotated", actor=actor, data={"new_key_ids": added})
    return added


def keys_remove_old(*, actor=None) -> list[str]:
    """Remove keys that are no longer primary; refuse while a row still uses one."""
    keyring = keyring_for_change()
    old = [key for key in keyring.keys if not key.primary]
    for key in old:
        in_use = sum(columns.model._default_manager.filter(columns.using_key(key.id)).count()
                     for columns in SEALED if columns.purpose == key.purpose)
        if in_use:
            raise KeyringError(
                f"Key {key.id} is still used by {in_use} rows: run `solidaire keys rotate` "
                "until it finishes, then remove the old keys."
            )
    for key in old:
        keyring.remove(key.id)
    keyring_save(keyring)
    removed = [key.id for key in old]
    audit_log(action="solidaire.keys.old_removed", actor=actor, data={"removed_key_ids": removed})
    return removed


def keys_shred(*, purpose: str, actor=None) -> list[str]:
    """Destroy every key of `purpose`: its values read as ERASED from now on."""
    keyring = keyring_for_change()
    gone = keyring.shred(purpose)
    keyring_save(keyring)
    audit_log(action=f"solidaire.keys.{purpose}_shredded", actor=actor,
              data={"shredded_key_ids": gone})
    return gone

"""The keyring of field encryption: AES-256 keys with ids, one primary per purpose.

Where the keys come from (never from SECRET_KEY):

- `SOLIDAIRE_FIELD_KEYS`: the keyring itself, as JSON or base64 of the JSON
  (production, read-only: rotation needs a file);
- otherwise the file `settings.FIELD_KEYS_FILE` (production: `SOLIDAIRE_FIELD_KEYS_FILE`,
  a secrets file; development: `var/keys/keys.json`, git-ignored). When
  `settings.FIELD_KEYS_CREATE` is on (development, tests) a missing file is created
  with a fresh key, mode 0600.

The file is JSON:
    {"version": 1,
     "keys": [{"id": "status-…", "purpose": "status", "key": "<base64 32 bytes>",
               "primary": true, "created": "2026-11-21T10:00:00+00:00"}],
     "shredded": [{"id": "status-…", "purpose": "status", "at": "…"}]}

Shredded keys keep only their id: values sealed with them read as ERASED.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import os
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ENV_KEYS = "SOLIDAIRE_FIELD_KEYS"
PURPOSES = ("status",)
KEY_BYTES = 32  # AES-256


class KeyringError(Exception):
    """The keyring cannot be read, or an operation on it is refused; the message says why."""


@dataclass
class FieldKey:
    id: str
    purpose: str
    secret: bytes = field(repr=False)
    primary: bool = False
    created: str = ""


@dataclass
class Keyring:
    keys: list[FieldKey] = field(default_factory=list)
    shredded: list[dict] = field(default_factory=list)
    # Where it was read from: a file path, or None for the environment (read-only).
    path: Path | None = None

    def primary(self, purpose: str) -> FieldKey:
        for key in self.keys:
            if key.purpose == purpose and key.primary:
                return key
        raise KeyringError(f"The keyring has no primary key for {purpose!r}.")

    def get(self, key_id: str) -> FieldKey | None:
        return next((key for key in self.keys if key.id == key_id), None)

    def is_shredded(self, key_id: str) -> bool:
        return any(entry["id"] == key_id for entry in self.shredded)

    def for_purpose(self, purpose: str) -> list[FieldKey]:
        return [key for key in self.keys if key.purpose == purpose]

    def shredded_ids(self, purpose: str) -> list[str]:
        return [entry["id"] for entry in self.shredded if entry["purpose"] == purpose]

    # Changes; the caller saves.

    def add_primary(self, purpose: str) -> FieldKey:
        for key in self.for_purpose(purpose):
            key.primary = False
        key = new_key(purpose)
        self.keys.append(key)
        return key

    def remove(self, key_id: str) -> None:
        self.keys = [key for key in self.keys if key.id != key_id]

    def shred(self, purpose: str) -> list[str]:
        """Forget every key of `purpose` (keeping their ids) and start a fresh primary."""
        now = _now()
        gone = [key.id for key in self.for_purpose(purpose)]
        self.shredded.extend({"id": key_id, "purpose": purpose, "at": now} for key_id in gone)
        self.keys = [key for key in self.keys if key.purpose != purpose]
        self.keys.append(new_key(purpose, primary=True))
        return gone

    def to_json(self) -> str:
        return json.dumps({
            "version": 1,
            "keys": [
                {"id": k.id, "purpose": k.purpose,
                 "key": base64.b64encode(k.secret).decode("ascii"),
                 "primary": k.primary, "created": k.created}
                for k in self.keys
            ],
            "shredded": self.shredded,
        }, indent=2)


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()


def new_key(purpose: str, *, primary: bool = True) -> FieldKey:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d")
    return FieldKey(
        id=f"{purpose}-{stamp}-{secrets.token_hex(4)}", purpose=purpose,
        secret=secrets.token_bytes(KEY_BYTES), primary=primary, created=_now(),
    )


def keyring_parse(text: str, *, path: Path | None = None) -> Keyring:
    """Read a keyring from JSON (or base64 of JSON); refuse anything malformed."""
    text = text.strip()
    if not text.startswith("{"):
        try:
            text = base64.b64decode(text, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as error:
            raise KeyringError("The field keys are neither JSON nor base64 of JSON.") from error
    try:
        data = json.loads(text)
        keys = [
            FieldKey(id=str(item["id"]), purpose=str(item["purpose"]),
                     secret=base64.b64decode(item["key"], validate=True),
                     primary=bool(item.get("primary")), created=str(item.get("created", "")))
            for item in data["keys"]
        ]
        shredded = list(data.get("shredded", []))
    except (ValueError, KeyError, TypeError, binascii.Error) as error:
        raise KeyringError("The field keys are not a valid keyring.") from error
    for key in keys:
        if len(key.secret) != KEY_BYTES:
            raise KeyringError(f"Key {key.id} is not {KEY_BYTES} bytes long.")
        if ":" in key.id or not key.id:
            raise KeyringError("A key id may not be empty or hold a colon.")
    return Keyring(keys=keys, shredded=shredded, path=path)


def keyring_save(keyring: Keyring) -> None:
    """Write the keyring file atomically, readable by its owner only."""
    if keyring.path is None:
        raise KeyringError(
            f"The keys come from the environment ({ENV_KEYS}); they cannot be changed in "
            "place. Put them in a file (SOLIDAIRE_FIELD_KEYS_FILE) to rotate or shred."
        )
    path = keyring.path
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(keyring.to_json())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    _cache_clear()


_lock = threading.Lock()
_cache: dict[str, tuple[object, Keyring]] = {}


def _cache_clear() -> None:
    with _lock:
        _cache.clear()


def keyring_load() -> Keyring:
    """The current keyring; the file is re-read when it changed (after a rotation)."""
    inline = os.environ.get(ENV_KEYS, "").strip()
    if inline:
        cached = _cache.get("env")
        if cached and cached[0] == inline:
            return cached[1]
        keyring = keyring_parse(inline)
        _cache["env"] = (inline, keyring)
        return keyring
    path_setting = getattr(settings, "FIELD_KEYS_FILE", None)
    if not path_setting:
        raise ImproperlyConfigured(
            f"No field keys: set {ENV_KEYS} or SOLIDAIRE_FIELD_KEYS_FILE."
        )
    path = Path(path_setting)
    with _lock:
        try:
            stamp = path.stat().st_mtime_ns
        except FileNotFoundError:
            if not getattr(settings, "FIELD_KEYS_CREATE", False):
                raise KeyringError(f"The field keys file {path} does not exist.") from None
            _keyring_create(path)
            stamp = path.stat().st_mtime_ns
        cached = _cache.get(str(path))
        if cached and cached[0] == stamp:
            return cached[1]
        keyring = keyring_parse(path.read_text(encoding="utf-8"), path=path)
        _cache[str(path)] = (stamp, keyring)
        return keyring


def keyring_for_change() -> Keyring:
    """A private copy of the keyring to change and save (never the shared cached one)."""
    keyring = keyring_load()
    if keyring.path is None:
        keyring_save(keyring)  # refuses with the reason
    assert keyring.path is not None  # keyring_save raised
    return keyring_parse(keyring.path.read_text(encoding="utf-8"), path=keyring.path)


def _keyring_create(path: Path) -> None:
    keyring = Keyring(keys=[new_key(purpose) for purpose in PURPOSES], path=path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process created it first
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(keyring.to_json())

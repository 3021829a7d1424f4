"""Field encryption: values open only with their key, in their own row and column."""

import base64
import io
import json
import os
import stat
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from solidaire.core.crypto import (
    ERASED,
    DecryptionError,
    associated_data,
    key_id_of,
    seal,
    unseal,
)
from solidaire.core.keys import KeyringError, keyring_load
from solidaire.core.models import AuditEntry
from solidaire.people.models import STATUS_COLUMNS, PersonStatus, StatusCategory
from solidaire.people.services import status_read, status_set

from tests.factories import PersonFactory
from tests.second_factor import log_in_with_code


@pytest.fixture
def own_keys(settings, tmp_path, monkeypatch):
    """A keys file of this test's own, created on first use."""
    monkeypatch.delenv("SOLIDAIRE_FIELD_KEYS", raising=False)
    settings.FIELD_KEYS_FILE = tmp_path / "keys" / "keys.json"
    settings.FIELD_KEYS_CREATE = True
    return settings.FIELD_KEYS_FILE


def test_a_sealed_value_opens_to_the_same_text(own_keys):
    aad = b"people_personstatus.sealed_note.1"
    token = seal("Travaille chez Ferme Dubé — permis fermé", purpose="status", aad=aad)
    assert token.startswith(f"v1:{key_id_of(token)}:")
    assert "Ferme" not in token
    assert unseal(token, aad=aad) == "Travaille chez Ferme Dubé — permis fermé"


def test_the_keys_file_is_created_on_first_use_readable_by_its_owner_only(own_keys):
    assert not own_keys.exists()
    keyring_load()
    assert stat.S_IMODE(own_keys.stat().st_mode) == 0o600
    assert keyring_load().primary("status").secret != b"test-only-not-secret"[:32]


def test_values_of_one_column_have_the_same_length_whatever_their_text(own_keys):
    lengths = {len(seal(code, purpose="status", aad=b"x", block=32))
               for code in StatusCategory.values}
    assert len(lengths) == 1


def test_a_value_copied_to_another_row_or_column_does_not_open(own_keys, db):
    person, other = PersonFactory(), PersonFactory()
    token = seal("no_status", purpose="status",
                 aad=associated_data(PersonStatus, "sealed_category", person.pk))
    with pytest.raises(DecryptionError):
        unseal(token, aad=associated_data(PersonStatus, "sealed_category", other.pk))
    with pytest.raises(DecryptionError):
        unseal(token, aad=associated_data(PersonStatus, "sealed_note", person.pk))


def test_a_status_row_copied_onto_another_person_raises_instead_of_reading(
    own_keys, world,
):
    make_status_reader(world)
    status_set(person=world.in_montreal, actor=world.coordinator, category="no_status")
    copied = PersonStatus.objects.get(person=world.in_montreal)
    PersonStatus.objects.create(
        person=world.in_bsl, **{name: getattr(copied, name) for name in STATUS_COLUMNS.fields},
    )
    with pytest.raises(DecryptionError):
        status_read(person=world.in_bsl, actor=world.coordinator)


def make_status_reader(world):
    role = world.coordinator.organizer_role
    role.status_access = True
    role.save(update_fields=["status_access"])


def test_a_wrong_key_raises(own_keys, settings, tmp_path):
    token = seal("citizen", purpose="status", aad=b"a")
    # Another keyring whose key has the same id but other bytes.
    keyring = json.loads(own_keys.read_text())
    keyring["keys"][0]["key"] = base64.b64encode(os.urandom(32)).decode()
    other = tmp_path / "other.json"
    other.write_text(json.dumps(keyring))
    settings.FIELD_KEYS_FILE = other
    with pytest.raises(DecryptionError):
        unseal(token, aad=b"a")


def test_a_missing_key_raises(own_keys, settings, tmp_path):
    token = seal("citizen", purpose="status", aad=b"a")
    settings.FIELD_KEYS_FILE = tmp_path / "fresh" / "keys.json"
    with pytest.raises(DecryptionError):
        unseal(token, aad=b"a")


def test_tampered_or_foreign_text_raises(own_keys):
    token = seal("citizen", purpose="status", aad=b"a")
    version, kid, nonce, sealed = token.split(":")
    flipped = base64.b64decode(sealed)
    flipped = bytes([flipped[0] ^ 1]) + flipped[1:]
    with pytest.raises(DecryptionError):
        unseal(":".join((version, kid, nonce, base64.b64encode(flipped).decode())), aad=b"a")
    with pytest.raises(DecryptionError):
        unseal("citizen", aad=b"a")


def test_keys_can_come_from_the_environment_as_json_or_base64(own_keys, monkeypatch):
    text = keyring_load().to_json()
    token = seal("citizen", purpose="status", aad=b"a")
    monkeypatch.setenv("SOLIDAIRE_FIELD_KEYS", base64.b64encode(text.encode()).decode())
    assert unseal(token, aad=b"a") == "citizen"
    monkeypatch.setenv("SOLIDAIRE_FIELD_KEYS", text)
    assert unseal(token, aad=b"a") == "citizen"
    monkeypatch.setenv("SOLIDAIRE_FIELD_KEYS", "not keys")
    with pytest.raises(KeyringError):
        keyring_load()


def test_the_keys_are_random_never_derived_from_the_secret_key(settings, own_keys):
    key = keyring_load().primary("status").secret
    assert settings.SECRET_KEY.encode() not in own_keys.read_bytes()
    assert key not in {settings.SECRET_KEY.encode()[:32], settings.SECRET_KEY.encode().ljust(32)}


@pytest.mark.django_db
def test_rotate_then_remove_the_old_key_and_every_status_still_reads(own_keys, world):
    make_status_reader(world)
    people = [world.in_montreal, world.in_cdn, world.in_bsl]
    for person in people:
        status_set(person=person, actor=world.coordinator, category="open_work_permit",
                   note=f"note {person.pk}")
    old_key = keyring_load().primary("status").id
    out = io.StringIO()
    call_command("keys", "rotate", "--batch-size", "2", stdout=out)
    call_command("keys", "remove-old", stdout=out)
    new_key = keyring_load().primary("status").id
    assert new_key != old_key
    assert not PersonStatus.objects.filter(STATUS_COLUMNS.using_key(old_key)).exists()
    assert keyring_load().get(old_key) is None
    for person in people:
        view = status_read(person=person, actor=world.coordinator)
        assert view.category == "open_work_permit" and view.note == f"note {person.pk}"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"solidaire.keys.rotated", "solidaire.keys.old_removed"} <= actions


@pytest.mark.django_db
def test_an_interrupted_rotation_continues_and_the_old_key_cannot_go_meanwhile(
    own_keys, world,
):
    from solidaire.core.crypto import keys_reencrypt_batch, keys_rotate_start

    make_status_reader(world)
    for person in (world.in_montreal, world.in_cdn, world.in_bsl):
        status_set(person=person, actor=world.coordinator, category="study_permit")
    keys_rotate_start()
    assert keys_reencrypt_batch(batch_size=1) == 1  # then the process "dies"
    with pytest.raises(CommandError, match="still used"):
        call_command("keys", "remove-old")
    primary = keyring_load().primary("status").id
    out = io.StringIO()
    call_command("keys", "rotate", stdout=out)  # continues, adds no key
    assert keyring_load().primary("status").id == primary
    assert PersonStatus.objects.filter(STATUS_COLUMNS.using_only(primary)).count() == 3
    call_command("keys", "remove-old", stdout=out)
    assert [key.id for key in keyring_load().keys] == [primary]


@pytest.mark.django_db
def test_shredding_needs_the_phrase_and_then_every_status_reads_erased(
    own_keys, world, client,
):
    make_status_reader(world)
    status_set(person=world.in_montreal, actor=world.coordinator, category="no_status")
    with pytest.raises(CommandError):
        call_command("keys", "shred-status", confirm="yes")
    assert status_read(person=world.in_montreal, actor=world.coordinator).category == "no_status"

    call_command("keys", "shred-status", confirm="destroy every immigration status",
                 stdout=io.StringIO())
    view = status_read(person=world.in_montreal, actor=world.coordinator)
    assert view.erased and view.category is ERASED and view.note is ERASED
    assert AuditEntry.objects.filter(action="solidaire.keys.status_shredded").exists()

    # The product keeps working: the page renders, and a new status can be recorded.
    log_in_with_code(client, world.coordinator)
    page = client.get(f"/en/organize/people/{world.in_montreal.pk}/")
    assert page.status_code == 200
    assert "erased" in page.content.decode()
    status_set(person=world.in_montreal, actor=world.coordinator, category="citizen")
    assert status_read(person=world.in_montreal, actor=world.coordinator).category == "citizen"


def test_production_refuses_to_start_without_field_keys():
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOLIDAIRE_")}
    env.update({"DJANGO_SETTINGS_MODULE": "solidaire.settings.production",
                "SOLIDAIRE_SECRET_KEY": "k" * 50,
                "SOLIDAIRE_ALLOWED_HOSTS": "solidaire.example.org",
                "SOLIDAIRE_SITE_URL": "https://solidaire.example.org"})
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env,
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "SOLIDAIRE_FIELD_KEYS" in result.stderr

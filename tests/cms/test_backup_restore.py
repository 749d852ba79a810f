"""Backups and the restore drill (cms/core/backups.py, docs/decisions/0219): a backup restored into an empty
database and empty folders gives back a service that answers, with the same files and keys, and a certificate
issued before the backup still verifies with the independent verifier. Every refusal changes nothing."""

import io
import json
import sqlite3
import tarfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from cms.core import backups
from cms.core.backups import BackupError, backup_create, backup_restore, backups_prune
from skills.credentials.credential import credential_jwt, credential_signed
from skills.credentials.keys import credential_keys_ensure
from skills.models import Certificate, CredentialKey
from tests.conftest import REQUIRE_SERVICES
from tests.credentials.conftest import make_certificate
from tests.credentials.test_verifier import NODE, verify

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def service_folders(settings, tmp_path, monkeypatch):
    """The service's media, evidence and key folders, each the test's own, on disk, with a file in each."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.CAPABILITY_CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    (settings.MEDIA_ROOT / "certificates").mkdir(parents=True)
    (settings.MEDIA_ROOT / "certificates" / "CAP-7.pdf").write_bytes(b"%PDF-1.7 certificate")
    settings.PRIVATE_MEDIA_ROOT.mkdir()
    (settings.PRIVATE_MEDIA_ROOT / "evidence.png").write_bytes(b"\x89PNG evidence")
    monkeypatch.setenv(backups.PASSPHRASE_VARIABLE, PASSPHRASE)
    return tmp_path


def folder_contents(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def empty_the_database() -> None:
    """What an operator starts a restore from: a database with no tables at all."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        connection.close()
    else:
        empty = sqlite3.connect(":memory:")
        connection.ensure_connection()
        empty.backup(connection.connection)
        empty.close()
    with connection.cursor() as cursor:
        assert connection.introspection.table_names(cursor) == []


def make_backup(root: Path, **options) -> Path:
    return backup_create(to=root / "backups", **options).folder


def rewrite_manifest(folder: Path, change) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    change(manifest)
    (folder / "manifest.json").write_text(json.dumps(manifest))


# --- the restore drill -----------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restored_into_an_empty_database_and_folders_serves_and_verifies_old_certificates(
    service_folders, live_server, settings
):
    if NODE is None:
        if REQUIRE_SERVICES:
            pytest.fail("needs node for the credential verifier (CAPABILITY_REQUIRE_SERVICES=1 forbids skipping)")
        pytest.skip("needs node for the credential verifier: apt-get install nodejs, then npm ci")
    settings.CAPABILITY_BASE_URL = live_server.url
    credential_keys_ensure()
    certificate = make_certificate()
    signed_before, jwt_before = credential_signed(certificate), credential_jwt(certificate)
    media_before = folder_contents(settings.MEDIA_ROOT)
    private_before = folder_contents(settings.PRIVATE_MEDIA_ROOT)
    keys_before = folder_contents(settings.CAPABILITY_CREDENTIAL_KEYS_DIR)
    folder = make_backup(service_folders)

    empty_the_database()
    for each in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT, settings.CAPABILITY_CREDENTIAL_KEYS_DIR):
        for path in sorted(each.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
    output = io.StringIO()
    call_command("restore", "--from", str(folder), stdout=output)

    assert "Restored the database" in output.getvalue()
    assert "Restored 2 credential keys" in output.getvalue()
    client = Client()
    assert client.get("/").status_code == 200
    did = client.get("/.well-known/did.json")
    assert did.status_code == 200
    assert {method["id"].split("#")[1] for method in did.json()["verificationMethod"]} == set(
        CredentialKey.objects.values_list("key_id", flat=True)
    )
    assert folder_contents(settings.MEDIA_ROOT) == media_before
    assert folder_contents(settings.PRIVATE_MEDIA_ROOT) == private_before
    assert folder_contents(settings.CAPABILITY_CREDENTIAL_KEYS_DIR) == keys_before
    assert verify(live_server.url, {"credential": signed_before})["verified"] is True
    assert verify(live_server.url, {"jwt": jwt_before})["verified"] is True
    # The restored private keys sign again, as the same keys: nothing was rotated.
    restored = Certificate.objects.get(pk=certificate.pk)
    signed_after = credential_signed(restored)
    assert signed_after["proof"]["verificationMethod"] == signed_before["proof"]["verificationMethod"]
    assert verify(live_server.url, {"credential": signed_after})["verified"] is True


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_replace_restores_over_a_database_and_folders_that_changed_since_the_backup(service_folders, settings):
    credential_keys_ensure()
    kept = make_certificate(index=1)
    folder = make_backup(service_folders)
    make_certificate(index=2)
    (settings.MEDIA_ROOT / "later.pdf").write_bytes(b"made after the backup")

    output = io.StringIO()
    call_command("restore", "--from", str(folder), "--replace", stdout=output)

    assert "Emptied the database (--replace)." in output.getvalue()
    assert list(Certificate.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not (settings.MEDIA_ROOT / "later.pdf").exists()
    assert (settings.MEDIA_ROOT / "certificates" / "CAP-7.pdf").read_bytes() == b"%PDF-1.7 certificate"


# --- what a backup holds ---------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_folder_lists_every_file_with_its_checksum(service_folders):
    credential_keys_ensure()
    folder = make_backup(service_folders)

    manifest = json.loads((folder / "manifest.json").read_text())
    assert folder.name.startswith("capability-backup-")
    assert manifest["format"] == "capability-backup"
    assert manifest["version"] == 1
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["includes_keys"] is True
    assert set(manifest["files"]) == {
        manifest["database"]["file"],
        "media.tar",
        "private-media.tar",
        "credential-keys.enc",
    }
    assert "skills.0001_initial" in manifest["migrations"]
    assert {path.name for path in folder.iterdir()} == set(manifest["files"]) | {"manifest.json"}
    assert folder.stat().st_mode & 0o077 == 0
    with tarfile.open(folder / "media.tar") as archive:
        assert "certificates/CAP-7.pdf" in archive.getnames()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_keys_in_a_backup_are_encrypted(service_folders, settings):
    credential_keys_ensure()
    folder = make_backup(service_folders)

    sealed = (folder / "credential-keys.enc").read_bytes()
    assert b"PRIVATE KEY" not in sealed
    for path in settings.CAPABILITY_CREDENTIAL_KEYS_DIR.iterdir():
        assert path.stem.encode() not in sealed


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_without_keys_needs_no_passphrase(service_folders, monkeypatch):
    monkeypatch.delenv(backups.PASSPHRASE_VARIABLE)
    output = io.StringIO()
    call_command("backup", "--to", str(service_folders / "backups"), "--without-keys", stdout=output)

    (folder,) = (service_folders / "backups").iterdir()
    assert json.loads((folder / "manifest.json").read_text())["includes_keys"] is False
    assert not (folder / "credential-keys.enc").exists()
    assert "Credential keys: left out (--without-keys)" in output.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_of_the_keys_is_refused_without_a_passphrase_and_writes_nothing(service_folders, monkeypatch):
    monkeypatch.delenv(backups.PASSPHRASE_VARIABLE)

    with pytest.raises(CommandError, match="set CAPABILITY_BACKUP_PASSPHRASE .* or pass --without-keys"):
        call_command("backup", "--to", str(service_folders / "backups"))
    assert not (service_folders / "backups").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_short_passphrase_is_refused(service_folders, monkeypatch):
    monkeypatch.setenv(backups.PASSPHRASE_VARIABLE, "short")

    with pytest.raises(BackupError, match="too short"):
        make_backup(service_folders)
    assert not (service_folders / "backups").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_into_a_file_is_refused(service_folders):
    (service_folders / "afile").write_text("x")

    with pytest.raises(CommandError, match="is not a folder"):
        call_command("backup", "--to", str(service_folders / "afile"))


# --- retention -------------------------------------------------------------------------------------------------


def fake_backup(directory: Path, name: str, age: timedelta) -> Path:
    folder = directory / name
    folder.mkdir(parents=True)
    created = timezone.now() - age
    (folder / "manifest.json").write_text(
        json.dumps({"format": "capability-backup", "created_at": created.isoformat()})
    )
    return folder


def test_keep_days_deletes_only_backups_older_than_the_period(tmp_path):
    old = fake_backup(tmp_path, "capability-backup-a", timedelta(days=40))
    recent = fake_backup(tmp_path, "capability-backup-b", timedelta(days=20))
    newest = fake_backup(tmp_path, "capability-backup-c", timedelta(hours=1))
    unfinished = tmp_path / "capability-backup-d"  # no manifest: not a backup, never touched
    unfinished.mkdir()
    other = fake_backup(tmp_path, "someone-elses-folder", timedelta(days=400))

    assert backups_prune(directory=tmp_path, keep_days=30) == [old]
    assert not old.exists()
    assert all(path.exists() for path in (recent, newest, unfinished, other))


def test_keep_days_always_keeps_the_newest_backup(tmp_path):
    older = fake_backup(tmp_path, "capability-backup-a", timedelta(days=90))
    newest = fake_backup(tmp_path, "capability-backup-b", timedelta(days=60))

    assert backups_prune(directory=tmp_path, keep_days=30) == [older]
    assert newest.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_backup_command_prunes_with_keep_days(service_folders):
    old = fake_backup(service_folders / "backups", "capability-backup-20200101T000000Z", timedelta(days=10))
    output = io.StringIO()
    call_command("backup", "--to", str(service_folders / "backups"), "--keep-days", "7", stdout=output)

    assert not old.exists()
    assert "Deleted capability-backup-20200101T000000Z: older than 7 days" in output.getvalue()
    assert len(list((service_folders / "backups").iterdir())) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_keep_days_below_one_is_refused_before_any_backup(service_folders):
    with pytest.raises(CommandError, match="--keep-days must be at least 1"):
        call_command("backup", "--to", str(service_folders / "backups"), "--keep-days", "0")
    assert not (service_folders / "backups").exists()


# --- refusals: each leaves the database and the folders as they were -------------------------------------------


@pytest.fixture
def backup_and_empty_folders(service_folders, settings):
    """A backup, then the folders emptied: a restore would be refused only because of the database or the
    backup."""
    credential_keys_ensure()
    make_certificate()
    folder = make_backup(service_folders)
    for each in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT, settings.CAPABILITY_CREDENTIAL_KEYS_DIR):
        for path in sorted(each.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
    return folder


def assert_nothing_restored(settings) -> None:
    assert Certificate.objects.count() == 1
    for each in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT, settings.CAPABILITY_CREDENTIAL_KEYS_DIR):
        assert list(each.iterdir()) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_into_a_database_with_tables_is_refused(backup_and_empty_folders, settings):
    with pytest.raises(CommandError, match=r"the database \(.*\) has tables.*--replace"):
        call_command("restore", "--from", str(backup_and_empty_folders))
    assert_nothing_restored(settings)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_into_a_folder_with_files_is_refused(backup_and_empty_folders, settings, monkeypatch):
    monkeypatch.setattr(backups, "_database_is_empty", lambda: True)
    (settings.MEDIA_ROOT / "kept.pdf").write_bytes(b"still here")

    with pytest.raises(BackupError, match=r"MEDIA_ROOT \(.*\) is not empty") as refusal:
        backup_restore(source=backup_and_empty_folders)
    assert "has tables" not in str(refusal.value)
    assert folder_contents(settings.MEDIA_ROOT) == {"kept.pdf": b"still here"}
    assert list(settings.CAPABILITY_CREDENTIAL_KEYS_DIR.iterdir()) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_from_a_missing_folder_is_refused(service_folders):
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("restore", "--from", str(service_folders / "nowhere"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_from_a_folder_without_a_manifest_is_refused(backup_and_empty_folders, settings):
    (backup_and_empty_folders / "manifest.json").unlink()

    with pytest.raises(BackupError, match="holds no manifest.json"):
        backup_restore(source=backup_and_empty_folders, replace=True)
    assert_nothing_restored(settings)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_with_a_damaged_file_is_refused(backup_and_empty_folders, settings):
    with (backup_and_empty_folders / "media.tar").open("ab") as archive:
        archive.write(b"\0")

    with pytest.raises(BackupError, match="media.tar does not match its checksum"):
        backup_restore(source=backup_and_empty_folders, replace=True)
    assert_nothing_restored(settings)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_with_a_missing_file_is_refused(backup_and_empty_folders, settings):
    (backup_and_empty_folders / "private-media.tar").unlink()

    with pytest.raises(BackupError, match="private-media.tar, listed in the manifest, is missing"):
        backup_restore(source=backup_and_empty_folders, replace=True)
    assert_nothing_restored(settings)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_with_the_wrong_passphrase_is_refused(backup_and_empty_folders, settings, monkeypatch):
    monkeypatch.setenv(backups.PASSPHRASE_VARIABLE, "not the passphrase at all")

    with pytest.raises(CommandError, match="does not open the backup's credential keys"):
        call_command("restore", "--from", str(backup_and_empty_folders), "--replace")
    assert_nothing_restored(settings)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_of_the_keys_without_a_passphrase_is_refused(backup_and_empty_folders, settings, monkeypatch):
    monkeypatch.delenv(backups.PASSPHRASE_VARIABLE)

    with pytest.raises(BackupError, match="keys are encrypted: set CAPABILITY_BACKUP_PASSPHRASE"):
        backup_restore(source=backup_and_empty_folders, replace=True)
    assert_nothing_restored(settings)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_archive_reaching_outside_its_folder_is_refused(backup_and_empty_folders, settings):
    evil = backup_and_empty_folders / "media.tar"
    with tarfile.open(evil, "w") as archive:
        member = tarfile.TarInfo("../outside.txt")
        member.size = 4
        archive.addfile(member, io.BytesIO(b"evil"))
    rewrite_manifest(backup_and_empty_folders, lambda m: m["files"]["media.tar"].update(sha256=backups._sha256(evil)))

    with pytest.raises(BackupError, match="media.tar holds an unsafe entry"):
        backup_restore(source=backup_and_empty_folders, replace=True)
    assert_nothing_restored(settings)
    assert not (settings.MEDIA_ROOT.parent / "outside.txt").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_from_the_other_database_vendor_is_refused(backup_and_empty_folders, settings):
    other = "pg_dump-custom" if connection.vendor == "sqlite" else "sqlite-backup-api"
    rewrite_manifest(backup_and_empty_folders, lambda m: m["database"].update(format=other))

    with pytest.raises(BackupError, match=f"this service runs on {connection.vendor}"):
        backup_restore(source=backup_and_empty_folders, replace=True)
    assert_nothing_restored(settings)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_a_pg_dump_the_portable_form_restores_into_an_empty_database(service_folders, settings, monkeypatch):
    monkeypatch.setattr(backups, "pg_tool", lambda name: None)
    credential_keys_ensure()
    certificate = make_certificate()
    signed_before = credential_signed(certificate)
    folder = make_backup(service_folders)
    assert json.loads((folder / "manifest.json").read_text())["database"]["format"] == "django-json"

    empty_the_database()
    for each in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT, settings.CAPABILITY_CREDENTIAL_KEYS_DIR):
        for path in sorted(each.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
    backup_restore(source=folder)

    assert Client().get("/.well-known/did.json").status_code == 200
    signed_after = credential_signed(Certificate.objects.get(pk=certificate.pk))
    assert signed_after["proof"]["verificationMethod"] == signed_before["proof"]["verificationMethod"]
    assert {**signed_after, "proof": None} == {**signed_before, "proof": None}

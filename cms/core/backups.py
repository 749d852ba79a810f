"""Backups and restore of everything the service cannot rebuild (docs/decisions/0219-backups-and-restore.md).

A backup is one folder, `capability-backup-<UTC time>`, holding:

- `manifest.json`: the format version, when it was made, the database vendor and dump format, the migrations
  applied, and the SHA-256 and size of every other file. A folder without a complete manifest is not a backup;
  the folder is written under a hidden `.partial-` name and renamed only once the manifest is written.
- the database: `database.sqlite3` (SQLite's online backup API, consistent while the service runs),
  `database.pgdump` (`pg_dump --format=custom`, when a pg_dump at least as new as the server is on PATH) or
  `database.json` (Django's serialisation of every row: the portable form, restored with `migrate` and `loaddata`
  by the same release of the code);
- `media.tar` (MEDIA_ROOT: uploaded documents and images, generated certificate PDFs) and `private-media.tar`
  (PRIVATE_MEDIA_ROOT: evidence people uploaded);
- `credential-keys.enc`: the tar of CAPABILITY_CREDENTIAL_KEYS_DIR, encrypted with a key derived by scrypt from
  CAPABILITY_BACKUP_PASSPHRASE. Left out only when asked (`--without-keys`): certificates issued before still
  verify from the public keys in the database, but nothing new can be signed with the old keys.

A restore checks everything it can before it changes anything: every checksum, the passphrase, the archives'
member names, and that the database and the folders it writes to are empty (unless told to replace them).

These run from management commands as the operator (for PostgreSQL, the role that owns the tables, decision
0008); there is no web path to them, so they take no actor.
"""

import base64
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "capability-backup"
FORMAT_VERSION = 1
FOLDER_PREFIX = "capability-backup-"
MANIFEST = "manifest.json"
KEYS_FILE = "credential-keys.enc"
PASSPHRASE_VARIABLE = "CAPABILITY_BACKUP_PASSPHRASE"  # noqa: S105 — the name of the variable, not its value
MIN_PASSPHRASE_LENGTH = 12
# scrypt at n=2**15 takes about 0.1 s and 32 MiB: costly to guess at, cheap to run once per backup.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do. Raised before anything
    is changed."""


@dataclass(frozen=True)
class FileArea:
    """A folder the backup carries as a tar: its file in the backup and the setting that names the folder."""

    archive: str
    setting: str
    label: str

    @property
    def folder(self) -> Path:
        return Path(getattr(settings, self.setting))


FILE_AREAS = (
    FileArea("media.tar", "MEDIA_ROOT", "uploaded and generated files"),
    FileArea("private-media.tar", "PRIVATE_MEDIA_ROOT", "evidence files"),
)


@dataclass
class BackupReport:
    folder: Path
    lines: list[str] = field(default_factory=list)
    pruned: list[Path] = field(default_factory=list)


# --- helpers ---------------------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fernet(passphrase: str, salt: bytes, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> Fernet:
    key = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _passphrase(passphrase: str | None) -> str | None:
    value = passphrase if passphrase is not None else os.environ.get(PASSPHRASE_VARIABLE)
    return value or None


def _folder_is_empty(folder: Path) -> bool:
    return not folder.exists() or not any(folder.iterdir())


def _tar_folder(folder: Path, archive: tarfile.TarFile) -> int:
    """Add the folder's contents to an uncompressed tar (media is mostly PDFs and images, compressed already);
    a missing folder adds nothing. Returns the number of files."""
    count = 0
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            archive.add(path, arcname=str(path.relative_to(folder)), recursive=False)
            count += path.is_file()
    return count


def _check_tar(archive: tarfile.TarFile, name: str) -> None:
    """Refuse members that would land outside the folder or are not plain files and folders."""
    for member in archive.getmembers():
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"{name} holds an unsafe entry ({member.name!r}): it was not made by this service.")


def _database_vendor() -> str:
    return connection.vendor


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def _applied_migrations() -> list[str]:
    if not MigrationRecorder(connection).has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def _code_migrations() -> list[str]:
    from django.db.migrations.loader import MigrationLoader  # noqa: PLC0415 — reads every migration file; only here

    return sorted(f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


# --- PostgreSQL tools ------------------------------------------------------------------------------------------


def pg_tool(name: str) -> str | None:
    """pg_dump or pg_restore on PATH when its major version is at least the server's (an older pg_dump refuses a
    newer server), else None: the backup then takes the portable form."""
    path = shutil.which(name)
    if path is None:
        return None
    completed = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    try:
        major = int(completed.stdout.split()[-1].split(".")[0])
    except (IndexError, ValueError):
        return None
    connection.ensure_connection()
    return path if major >= connection.pg_version // 10000 else None


def _pg_arguments_and_environment() -> tuple[list[str], dict]:
    database = connection.settings_dict
    arguments = ["--dbname", database["NAME"]]
    if database.get("HOST"):
        arguments += ["--host", database["HOST"]]
    if database.get("PORT"):
        arguments += ["--port", str(database["PORT"])]
    if database.get("USER"):
        arguments += ["--username", database["USER"]]
    environment = os.environ | {"PGCONNECT_TIMEOUT": "10"}
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = database["PASSWORD"]
    return arguments, environment


def _run(command: list[str], environment: dict, what: str) -> None:
    completed = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise BackupError(f"{what} failed: {completed.stderr.strip()[-2000:]}")


# --- the database ----------------------------------------------------------------------------------------------


def _database_dump(folder: Path) -> tuple[str, str]:
    """Write the database into the folder; returns (file name, format)."""
    vendor = _database_vendor()
    if vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(folder / "database.sqlite3")
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return "database.sqlite3", "sqlite-backup-api"
    if vendor == "postgresql" and (pg_dump := pg_tool("pg_dump")) is not None:
        arguments, environment = _pg_arguments_and_environment()
        _run(
            [pg_dump, "--format=custom", "--file", str(folder / "database.pgdump"), *arguments],
            environment,
            "pg_dump",
        )
        return "database.pgdump", "pg_dump-custom"
    with (folder / "database.json").open("w", encoding="utf-8") as output:
        call_command("dumpdata", format="json", use_base_manager=True, stdout=output, verbosity=0)
    return "database.json", "django-json"


def _database_clear() -> None:
    """Drop everything in the database, for a restore told to replace it."""
    if _database_vendor() == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        return
    empty = sqlite3.connect(":memory:")
    try:
        connection.ensure_connection()
        empty.backup(connection.connection)
    finally:
        empty.close()


def _database_check(manifest: dict, folder: Path) -> str | None:
    """What stops this backup's database from being restored here, or None."""
    dump_format, vendor = manifest["database"]["format"], _database_vendor()
    if dump_format == "sqlite-backup-api":
        if vendor != "sqlite":
            return f"The backup holds a SQLite database; this service runs on {vendor}."
        try:
            source = sqlite3.connect(f"file:{folder / manifest['database']['file']}?mode=ro", uri=True)
            try:
                (result,) = source.execute("PRAGMA integrity_check").fetchone()
            finally:
                source.close()
        except sqlite3.DatabaseError as error:
            return f"The backup's SQLite database cannot be read ({error})."
        return None if result == "ok" else f"The backup's SQLite database is damaged ({result})."
    if dump_format == "pg_dump-custom":
        if vendor != "postgresql":
            return f"The backup holds a PostgreSQL dump; this service runs on {vendor}."
        if pg_tool("pg_restore") is None:
            return "The backup is a pg_dump archive: put a pg_restore at least as new as the server on PATH."
        return None
    if dump_format == "django-json":
        known, needed = set(_code_migrations()), set(manifest.get("migrations", []))
        if needed != known:
            return (
                "The backup's portable database was written by another release of the code "
                f"({len(needed - known)} migrations unknown here, {len(known - needed)} not in the backup): "
                "restore it with the release that made it, then upgrade."
            )
        return None
    return f"The backup's database format {dump_format!r} is unknown to this release."


def _database_restore(manifest: dict, folder: Path) -> None:
    dump_format, path = manifest["database"]["format"], folder / manifest["database"]["file"]
    if dump_format == "sqlite-backup-api":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
    elif dump_format == "pg_dump-custom":
        arguments, environment = _pg_arguments_and_environment()
        connection.close()  # its prepared statements name tables that are about to be made again
        _run(
            [
                pg_tool("pg_restore"),
                "--no-owner",
                "--no-acl",
                "--exit-on-error",
                "--single-transaction",
                *arguments,
                str(path),
            ],
            environment,
            "pg_restore",
        )
    else:
        call_command("migrate", interactive=False, verbosity=0)
        # Migrations made rows of their own (content types, permissions, Wagtail's root page): the backup's rows
        # replace them, keys and all.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        call_command("loaddata", str(path), verbosity=0)
    connection.close()


# --- backup ----------------------------------------------------------------------------------------------------


def backup_create(*, to: Path, include_keys: bool = True, passphrase: str | None = None) -> BackupReport:
    """Write a backup folder inside `to` (made if missing). The credential keys are included unless
    include_keys is False, and then need a passphrase (argument, else CAPABILITY_BACKUP_PASSPHRASE) of at least
    MIN_PASSPHRASE_LENGTH characters: BackupError otherwise, before anything is written."""
    passphrase = _passphrase(passphrase)
    if include_keys and passphrase is None:
        raise BackupError(
            f"The credential signing keys are backed up encrypted: set {PASSPHRASE_VARIABLE} to the backup "
            "passphrase (kept apart from the backups), or pass --without-keys to leave the keys out."
        )
    if include_keys and len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise BackupError(f"{PASSPHRASE_VARIABLE} is too short: use at least {MIN_PASSPHRASE_LENGTH} characters.")
    to = Path(to)
    if to.exists() and not to.is_dir():
        raise BackupError(f"{to} is not a folder.")
    to.mkdir(parents=True, exist_ok=True, mode=0o700)

    created = timezone.now()
    work = Path(tempfile.mkdtemp(prefix=".partial-", dir=to))  # mode 0700: the backup holds personal data
    report_lines = []
    try:
        database_file, database_format = _database_dump(work)
        report_lines.append(f"Database ({_database_vendor()}, {database_format}): {database_file}")
        for area in FILE_AREAS:
            with tarfile.open(work / area.archive, "w") as archive:
                count = _tar_folder(area.folder, archive)
            report_lines.append(f"{area.label.capitalize()} ({area.setting}): {count} files in {area.archive}")
        if include_keys:
            keys = io.BytesIO()
            with tarfile.open(fileobj=keys, mode="w") as archive:
                count = _tar_folder(Path(settings.CAPABILITY_CREDENTIAL_KEYS_DIR), archive)
            salt = os.urandom(16)
            sealed = {
                "kdf": "scrypt",
                "n": SCRYPT_N,
                "r": SCRYPT_R,
                "p": SCRYPT_P,
                "salt": base64.b64encode(salt).decode(),
                "fernet": _fernet(passphrase, salt).encrypt(keys.getvalue()).decode(),
            }
            (work / KEYS_FILE).write_text(json.dumps(sealed), encoding="utf-8")
            report_lines.append(f"Credential keys: {count} files, encrypted, in {KEYS_FILE}")
        else:
            report_lines.append("Credential keys: left out (--without-keys)")

        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created_at": created.isoformat(),
            "database": {"vendor": _database_vendor(), "format": database_format, "file": database_file},
            "migrations": _applied_migrations(),
            "includes_keys": include_keys,
            "files": {
                path.name: {"sha256": _sha256(path), "bytes": path.stat().st_size} for path in sorted(work.iterdir())
            },
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        final = to / f"{FOLDER_PREFIX}{created:%Y%m%dT%H%M%SZ}"
        suffix = 1
        while final.exists():
            final = to / f"{FOLDER_PREFIX}{created:%Y%m%dT%H%M%SZ}-{suffix}"
            suffix += 1
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return BackupReport(folder=final, lines=report_lines)


# --- retention -------------------------------------------------------------------------------------------------


def _read_manifest(folder: Path) -> dict | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return None
    return manifest


def backups_prune(*, directory: Path, keep_days: int, now: datetime | None = None) -> list[Path]:
    """Delete the backup folders in `directory` made more than keep_days ago, judged by their manifests; the
    newest backup is always kept, and nothing that is not a complete backup folder is touched. Returns the
    folders deleted."""
    if keep_days < 1:
        raise BackupError("--keep-days must be at least 1.")
    now = now or timezone.now()
    backups = []
    for folder in Path(directory).iterdir():
        if not folder.is_dir() or not folder.name.startswith(FOLDER_PREFIX):
            continue
        manifest = _read_manifest(folder)
        if manifest is None:
            continue
        try:
            backups.append((datetime.fromisoformat(manifest["created_at"]), folder))
        except (KeyError, TypeError, ValueError):
            continue
    backups.sort()
    cutoff = now - timedelta(days=keep_days)
    pruned = [folder for created, folder in backups[:-1] if created < cutoff]
    for folder in pruned:
        shutil.rmtree(folder)
    return pruned


# --- restore ---------------------------------------------------------------------------------------------------


def backup_verify(*, source: Path) -> dict:
    """The backup's manifest once every file it lists is present with its checksum; BackupError otherwise."""
    source = Path(source)
    if not source.is_dir():
        raise BackupError(f"{source} is not a folder.")
    if not (source / MANIFEST).is_file():
        raise BackupError(f"{source} holds no {MANIFEST}: it is not a backup folder, or the backup did not finish.")
    manifest = _read_manifest(source)
    if manifest is None:
        raise BackupError(f"{source / MANIFEST} is not a Capability backup manifest.")
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"The backup is format version {manifest.get('version')}; this release reads {FORMAT_VERSION}."
        )
    for name, expected in manifest["files"].items():
        path = source / name
        if Path(name).name != name or not path.is_file():
            raise BackupError(f"{name}, listed in the manifest, is missing from {source}.")
        if _sha256(path) != expected["sha256"]:
            raise BackupError(f"{name} does not match its checksum in the manifest: the backup is damaged.")
    return manifest


def _open_keys(source: Path, passphrase: str | None) -> bytes:
    if passphrase is None:
        raise BackupError(
            f"The backup's credential keys are encrypted: set {PASSPHRASE_VARIABLE} to the passphrase the "
            "backup was made with, or pass --without-keys to restore everything else."
        )
    sealed = json.loads((source / KEYS_FILE).read_text(encoding="utf-8"))
    fernet = _fernet(passphrase, base64.b64decode(sealed["salt"]), sealed["n"], sealed["r"], sealed["p"])
    try:
        return fernet.decrypt(sealed["fernet"].encode())
    except InvalidToken:
        raise BackupError(
            f"{PASSPHRASE_VARIABLE} does not open the backup's credential keys: it is not the passphrase the "
            "backup was made with."
        ) from None


def _extract(archive: tarfile.TarFile, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    archive.extractall(folder, filter="data")
    return sum(member.isfile() for member in archive.getmembers())


def _replace_folder(folder: Path) -> None:
    if folder.is_dir():
        for path in folder.iterdir():
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()


def _refuse_occupied_targets(*, with_keys: bool) -> None:
    occupied = []
    if not _database_is_empty():
        occupied.append(f"the database ({connection.settings_dict['NAME']}) has tables")
    for area in FILE_AREAS:
        if not _folder_is_empty(area.folder):
            occupied.append(f"{area.setting} ({area.folder}) is not empty")
    keys_dir = Path(settings.CAPABILITY_CREDENTIAL_KEYS_DIR)
    if with_keys and not _folder_is_empty(keys_dir):
        occupied.append(f"CAPABILITY_CREDENTIAL_KEYS_DIR ({keys_dir}) is not empty")
    if occupied:
        raise BackupError(
            "A restore goes into an empty database and empty folders, and "
            + "; ".join(occupied)
            + ". Restore there after emptying them, or pass --replace to overwrite them."
        )


def backup_restore(
    *, source: Path, passphrase: str | None = None, include_keys: bool = True, replace: bool = False
) -> list[str]:
    """Restore the backup folder `source` into this service's database, MEDIA_ROOT, PRIVATE_MEDIA_ROOT and
    CAPABILITY_CREDENTIAL_KEYS_DIR. Everything is checked first: checksums, the passphrase (when the keys are
    restored), the archives, and that each target is empty unless `replace` is set; any refusal is a BackupError
    and nothing has changed. Returns what was done, line by line."""
    source = Path(source)
    manifest = backup_verify(source=source)
    passphrase = _passphrase(passphrase)

    refusal = _database_check(manifest, source)
    if refusal:
        raise BackupError(refusal)
    keys = None
    if include_keys and manifest["includes_keys"]:
        keys = _open_keys(source, passphrase)
    with ExitStack() as stack:
        try:
            archives = {area: stack.enter_context(tarfile.open(source / area.archive)) for area in FILE_AREAS}
            keys_archive = None
            if keys is not None:
                keys_archive = stack.enter_context(tarfile.open(fileobj=io.BytesIO(keys)))
        except tarfile.TarError as error:
            raise BackupError(f"An archive in the backup cannot be read ({error}).") from error
        for area, archive in archives.items():
            _check_tar(archive, area.archive)
        if keys_archive is not None:
            _check_tar(keys_archive, KEYS_FILE)
        keys_dir = Path(settings.CAPABILITY_CREDENTIAL_KEYS_DIR)
        if not replace:
            _refuse_occupied_targets(with_keys=keys_archive is not None)

        done = [f"Checked {len(manifest['files'])} files of the backup made {manifest['created_at']}."]
        if replace and not _database_is_empty():
            _database_clear()
            done.append("Emptied the database (--replace).")
        _database_restore(manifest, source)
        done.append(f"Restored the database from {manifest['database']['file']} ({manifest['database']['format']}).")
        for area, archive in archives.items():
            if replace:
                _replace_folder(area.folder)
            count = _extract(archive, area.folder)
            done.append(f"Restored {count} {area.label} into {area.setting} ({area.folder}).")
        if keys_archive is not None:
            if replace:
                _replace_folder(keys_dir)
            keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            count = _extract(keys_archive, keys_dir)
            for path in keys_dir.rglob("*"):
                path.chmod(0o600 if path.is_file() else 0o700)
            done.append(f"Restored {count} credential keys into CAPABILITY_CREDENTIAL_KEYS_DIR ({keys_dir}).")
        elif manifest["includes_keys"]:
            done.append("Left the credential keys out (--without-keys).")
        else:
            done.append(
                "The backup holds no credential keys: restore them from where they are kept, or run "
                "`manage.py credential_keys --ensure` to make new ones (what the old ones signed still verifies)."
            )
    if manifest["database"]["format"] != "django-json":
        done.append("Next: run `manage.py migrate` if this release is newer than the backup.")
    return done

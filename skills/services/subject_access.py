"""Subject-access exports (UK GDPR article 15; docs/decisions/0218): a person asks for a copy of everything the
service holds about them, or someone with the Data protection role asks for anyone's; a Celery task puts the zip
together from the register of personal data; it can be downloaded until it expires, and then it is deleted. Every
request and every download is in the audit log."""

import io
import json
import logging
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import PurePosixPath
from uuid import UUID

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from wagtail.log_actions import log

from frameworks.spreadsheets import FormulaSafeCsvWriter
from skills.certificates_pdf import certificate_pdf_filename, certificate_pdf_key
from skills.enums import SubjectAccessExportStatus
from skills.models import Certificate, Person, SubjectAccessExport
from skills.models.subject_access import UNFINISHED
from skills.personal_data import personal_data_register
from skills.selectors.personal_data import ABOUT, GENERIC, NAMES, personal_data_instances, personal_data_rows_for
from skills.selectors.subject_access import (
    may_export_anyone,
    subject_access_export_visible_to,
)
from skills.services.certificate_pdf import certificate_pdf_is_current, certificate_pdf_render
from skills.services.errors import NotAllowed
from skills.tasks import subject_access_export_build as subject_access_export_build_task

logger = logging.getLogger(__name__)

REQUEST_ACTION = "capability.skills.subject_access_request"
DOWNLOAD_ACTION = "capability.skills.subject_access_download"
EXPIRE_ACTION = "capability.skills.subject_access_expire"
# A password is exported as whether one is set, never as its hash: the zip leaves the service.
SECRET_FIELDS = frozenset({"accounts.User.password"})
# An earlier export's zip is not put inside the next one.
FILES_NOT_ATTACHED = frozenset({"skills.SubjectAccessExport.file"})
DATE_FIELDS = (models.DateField, models.DateTimeField)


def subject_access_export_request(*, subject, actor) -> SubjectAccessExport:
    """Ask for an export of everything about `subject` (an account). The account's holder may ask for their own,
    and someone with `skills.export_personal_data` (the Data protection role) for anyone's; anyone else:
    NotAllowed, and nothing is created. An export of the same subject already waiting or running is returned
    rather than a second one queued. Audited; the task is queued once the transaction commits."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise NotAllowed("Sign in to ask for a copy of personal data.")
    if subject.pk != actor.pk and not may_export_anyone(actor):
        raise NotAllowed("Only the Data protection role can ask for a copy of someone else's personal data.")
    with transaction.atomic():
        # Lock the subject's account so that two requests at once make one export.
        get_user_model().objects.select_for_update().filter(pk=subject.pk).first()
        waiting = (
            SubjectAccessExport.objects.filter(subject=subject, status__in=UNFINISHED, requested_by=actor)
            .order_by("-requested_at")
            .first()
        )
        if waiting is not None:
            return waiting
        export = SubjectAccessExport.objects.create(subject=subject, requested_by=actor)
        log(
            instance=export,
            action=REQUEST_ACTION,
            user=actor,
            data={"subject": subject.pk, "for_themselves": subject.pk == actor.pk},
        )
        export_id = export.pk
        transaction.on_commit(lambda: subject_access_export_build_task.delay(export_id=export_id))
    return export


def subject_access_export_build(*, export_id: int) -> str:
    """Put the export's zip together and store it (the system's work, for the task: no actor). An export already
    finished is left as it is, so a retry or a redelivered task is safe. Returns the status."""
    with transaction.atomic():
        export = SubjectAccessExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.is_finished:
            return export.status if export else "gone"
        SubjectAccessExport.objects.filter(pk=export.pk).update(status=SubjectAccessExportStatus.RUNNING)
    export.refresh_from_db()
    try:
        content = subject_access_zip(export=export)
    except Exception as error:
        # Recorded on the export, which the pages show as failed (to be asked for again), and logged in full.
        logger.exception("Subject-access export %s could not be put together", export.pk)
        SubjectAccessExport.objects.filter(pk=export.pk).update(
            status=SubjectAccessExportStatus.FAILED, finished_at=timezone.now(), error=str(error)[:500]
        )
        return SubjectAccessExportStatus.FAILED
    finished = timezone.now()
    export.file.save("export.zip", ContentFile(content), save=False)
    export.status = SubjectAccessExportStatus.READY
    export.finished_at = finished
    export.expires_at = finished + timedelta(days=settings.CAPABILITY_SUBJECT_ACCESS_EXPORT_DAYS)
    export.file_size = len(content)
    export.save(update_fields=["file", "status", "finished_at", "expires_at", "file_size"])
    return export.status


def subject_access_export_download(*, export: SubjectAccessExport, actor):
    """The export's zip for `actor` (see `subject_access_export_visible_to`; anyone else: NotAllowed, which views
    answer as 404), while it is ready and not expired. Audited. Returns the open file, which the caller closes."""
    if not subject_access_export_visible_to(export=export, user=actor):
        raise NotAllowed("You cannot download this export.")
    if export.status != SubjectAccessExportStatus.READY or export.expires_at <= timezone.now():
        raise NotAllowed("This export is not ready to download, or it has expired.")
    log(instance=export, action=DOWNLOAD_ACTION, user=actor, data={"subject": export.subject_id})
    return export.file.open("rb")


def subject_access_exports_expire(*, now: datetime | None = None) -> int:
    """Delete every export whose time is up, file and row (from the beat scheduler, hourly), and the files of
    failed exports older than the same period; idempotent. The audit log keeps that each was asked for and
    downloaded. Returns how many were deleted."""
    now = now or timezone.now()
    kept_for = timedelta(days=settings.CAPABILITY_SUBJECT_ACCESS_EXPORT_DAYS)
    due = SubjectAccessExport.objects.filter(
        models.Q(expires_at__lte=now)
        | models.Q(status=SubjectAccessExportStatus.FAILED, finished_at__lte=now - kept_for)
    )
    deleted = 0
    for export in due.iterator(chunk_size=200):
        if export.file:
            export.file.delete(save=False)
        log(instance=export, action=EXPIRE_ACTION, user=None, data={"subject": export.subject_id})
        deleted += SubjectAccessExport.objects.filter(pk=export.pk).delete()[0]
    return deleted


# --- The zip -----------------------------------------------------------------------------------------------------


def _value(instance, name: str, label: str):
    """A field's value as JSON can hold it: a related record as its name, a file as its name, dates as ISO."""
    if f"{label}.{name}" in SECRET_FIELDS:
        return "set (not exported)" if getattr(instance, name) else "not set"
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return sorted(str(item) for item in getattr(instance, name).all())
    value = getattr(instance, name)
    if field.is_relation:
        return None if value is None else str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def _names_subject(instance, name: str, subjects: dict) -> bool:
    """Whether the key `name` of `instance` is the subject (their account or their person)."""
    target = subjects.get(instance._meta.get_field(name).related_model)
    return target is not None and getattr(instance, f"{name}_id") == target.pk


def _row(instance, entry, ways: set[str], subjects: dict) -> dict:
    """What the export says of one row: every registered field when the row is about the subject; when it only
    names them, the keys that name them and the row's dates (the rest, other keys included, is another person's)."""
    label = entry.model
    names_only = ABOUT not in ways and GENERIC not in ways
    fields = entry.fields
    if names_only:
        fields = [
            name
            for name in entry.fields
            if (name in entry.names and _names_subject(instance, name, subjects))
            or isinstance(instance._meta.get_field(name), DATE_FIELDS)
        ]
    row = {"id": instance.pk, "found_by": sorted(ways)}
    row.update({name: _value(instance, name, label) for name in fields})
    return row


def _csv(rows: list[dict], columns: list[str]) -> str:
    out = io.StringIO()
    writer = FormulaSafeCsvWriter(out)  # decision 0116: every spreadsheet through the shared, formula-safe writer
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            json.dumps(row.get(column)) if isinstance(row.get(column), list | dict) else row.get(column)
            for column in columns
        )
    return out.getvalue()


def _safe_name(name: str) -> str:
    return "".join(c if (c.isascii() and c.isalnum()) or c in "-_." else "-" for c in name)[:100]


def subject_access_zip(*, export: SubjectAccessExport) -> bytes:
    """The zip: README.txt (what each file is), manifest.json (the same, for a program), data/<model>.json and
    .csv for each registered model with rows about the subject, certificates/ with the PDF of each of their
    certificates (drawn now where missing or out of date), files/ with the files they uploaded as evidence."""
    subject = export.subject
    person = Person.objects.filter(user=subject).first()
    register = personal_data_register()
    subjects = {type(subject): subject, Person: person}
    buffer = io.BytesIO()
    manifest_files = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for rows_found in personal_data_rows_for(user=subject):
            entry = rows_found.entry
            rows, attached = [], []
            for instance in personal_data_instances(rows_found):
                ways = rows_found.found_by[instance.pk]
                rows.append(_row(instance, entry, ways, subjects))
                if ABOUT in ways:
                    attached += _attach_files(archive, instance, entry)
            columns = ["id", "found_by", *entry.fields]
            base = f"data/{entry.model}"
            archive.writestr(f"{base}.json", json.dumps(rows, indent=2, ensure_ascii=False, default=str))
            archive.writestr(f"{base}.csv", _csv(rows, columns))
            manifest_files.append(
                {
                    "files": [f"{base}.json", f"{base}.csv", *attached],
                    "model": entry.model,
                    "rows": len(rows),
                    "about_you": sum(1 for row in rows if ABOUT in row["found_by"]),
                    "naming_you": sum(1 for row in rows if row["found_by"] == [NAMES]),
                    "about_your_records": sum(1 for row in rows if GENERIC in row["found_by"]),
                    "purpose": entry.purpose,
                    "seen_by": entry.seen_by,
                    "retention": entry.retention.label,
                }
            )
        certificates = _attach_certificates(archive, person)
        if certificates:
            store = register.stores["certificate-pdfs"]
            manifest_files.append(
                {
                    "files": certificates,
                    "store": store.name,
                    "purpose": store.purpose,
                    "seen_by": store.seen_by,
                    "retention": store.retention.label,
                }
            )
        not_searched = [
            {"model": label, "how_to_find": entry.matched_by, "purpose": entry.purpose}
            for label, entry in register.models.items()
            if entry.matched_by
        ] + [
            {"store": name, "how_to_find": store.found_by, "purpose": store.purpose}
            for name, store in register.stores.items()
            if name != "certificate-pdfs"
        ]
        manifest = {
            "subject": {"account": subject.pk, "person": person.pk if person else None, "name": _name(subject)},
            "requested_by": _name(export.requested_by) if export.requested_by else None,
            "requested_at": export.requested_at.isoformat(),
            "generated_at": timezone.now().isoformat(),
            "kept_for_days": settings.CAPABILITY_SUBJECT_ACCESS_EXPORT_DAYS,
            "files": manifest_files,
            "not_searched_by_this_export": not_searched,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        archive.writestr("README.txt", _readme(manifest))
    return buffer.getvalue()


def _name(user) -> str:
    return user.get_full_name() or user.email


def _attach_files(archive: zipfile.ZipFile, instance, entry) -> list[str]:
    """The files a row about the subject holds (their evidence, their avatar), under files/."""
    names = []
    for name in entry.fields:
        if f"{entry.model}.{name}" in FILES_NOT_ATTACHED:
            continue
        value = getattr(instance, name, None)
        if not isinstance(value, FieldFile) or not value.name:
            continue
        if not value.storage.exists(value.name):
            continue
        path = f"files/{entry.model}/{instance.pk}-{name}-{_safe_name(PurePosixPath(value.name).name)}"
        with value.storage.open(value.name, "rb") as stored:
            archive.writestr(path, stored.read())
        names.append(path)
    return names


def _attach_certificates(archive: zipfile.ZipFile, person: Person | None) -> list[str]:
    if person is None:
        return []
    names = []
    for certificate in Certificate.objects.filter(holder=person).select_related("holder__user").order_by("pk"):
        if not certificate_pdf_is_current(certificate):
            certificate_pdf_render(certificate_id=certificate.pk)
        path = f"certificates/{certificate_pdf_filename(certificate)}"
        with default_storage.open(certificate_pdf_key(certificate), "rb") as stored:
            archive.writestr(path, stored.read())
        names.append(path)
    return names


def _readme(manifest: dict) -> str:
    lines = [
        "A copy of the personal data Capability holds about you",
        "=" * 54,
        "",
        f"About: {manifest['subject']['name']}",
        f"Asked for by: {manifest['requested_by']}",
        f"Put together: {manifest['generated_at']}",
        f"This copy is deleted from the service {manifest['kept_for_days']} days after it was put together.",
        "",
        "Each kind of record is in data/, twice: as JSON (<name>.json) and as a spreadsheet (<name>.csv). Each row",
        "says how it was found (found_by):",
        "- about: the record is yours, and every field that holds personal data is shown;",
        "- names: the record is someone else's and names you as the person who did something (decided, reviewed,",
        "  uploaded): only the fields that name you and the record's dates are shown;",
        "- generic: the record (an audit log entry, a saved version) is about one of your records.",
        "certificates/ holds the PDF of each of your certificates; files/ the files you uploaded as evidence.",
        "manifest.json says the same as this file, for a program.",
        "",
        "What each file is",
        "-----------------",
    ]
    for item in manifest["files"]:
        title = item.get("model") or item.get("store")
        lines += ["", title, "  files: " + ", ".join(item["files"])]
        if "rows" in item:
            lines.append(
                f"  rows: {item['rows']} ({item['about_you']} about you, {item['naming_you']} naming you, "
                f"{item['about_your_records']} about your records)"
            )
        lines += [
            f"  why we hold it: {item['purpose']}",
            f"  who sees it: {item['seen_by']}",
            f"  kept as: {item['retention']}",
        ]
    lines += [
        "",
        "Not searched by this export",
        "---------------------------",
        "These records are not linked to your account by a field; the data protection team searches them by hand",
        "when you ask, as each says:",
    ]
    for item in manifest["not_searched_by_this_export"]:
        lines += ["", item.get("model") or item.get("store"), f"  how: {item['how_to_find']}"]
    return "\n".join(lines) + "\n"

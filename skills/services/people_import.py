"""The HR feed import: `people_import` runs the importer's check pass and writes what it found, all or nothing,
under the management-chain lock, with one audit entry; `people_import_upload` and `people_import_run` are its
background form for the admin (a `PeopleImport` record, run by a Celery task). See
docs/decisions/0200-people-import.md and 0204-hr-feed-copy.md."""

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import OperationalError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from frameworks.models import Framework
from skills.enums import PeopleImportStatus
from skills.importers import PeopleImportReport, RowError, people_feed_check
from skills.importers.reading import BATCH_SIZE, column_order, opened
from skills.importers.reading import source_name as file_name
from skills.models import HR_FEED_ISSUER, PeopleImport, Person, PersonIdentity
from skills.selectors import hr_unit_names, privileged_user_ids
from skills.services.bulk import management_chain_lock
from skills.services.errors import NotAllowed, SkillsError
from skills.services.people_import_write import PeopleFeedWriter
from skills.tasks import people_import_run as people_import_run_task
from skills.validators import control_character

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FullFile:
    """The import of a full file: it lists everyone in the uploader's organisation units, and the people there it
    leaves out (who have not left) leave on `left_on`. `confirmed` is what HR confirmed after checking the file:
    the ids of the people who leave (the admin) or how many they are (the command); None for the check, which
    can only be a dry run. A confirmation that no longer matches the file and the database refuses the import."""

    left_on: date
    confirmed: frozenset[int] | int | None = None


def people_import(
    *,
    file: str | Path | IO,
    actor,
    framework_slug: str | None = None,
    dry_run: bool = False,
    source_name: str | None = None,
    full_file: FullFile | None = None,
) -> PeopleImportReport:
    """Create or update people (and their user accounts) from the HR feed, matching people by staff number.

    `file` is a path or a binary file object that can be read twice (seekable); it must be UTF-8 CSV with the
    columns of COLUMNS (any order, extra columns ignored); every value is required but `profession` and
    `line_manager_staff_number`. `role` and `role_level` are names (or codes) in the framework's current
    release and become the person's current role level. Organisation units (from their "/" paths) and
    professions are created on first sight; new users get an unusable password (they set one by reset link)
    and the Learner role, and whoever manages someone gets the Line manager role. People missing from the
    file are left alone.

    All or nothing: if any row is wrong, nothing is written and the report lists the problems with row and
    column. Idempotent: importing the same file again changes nothing. `dry_run` does everything and rolls it
    back. One audit entry ("capability.skills.people_import", on the framework) per import that changed
    something. `actor` is who imports: None is the system (the `import_people` command), anyone else needs the
    `skills.add_peopleimport` permission (HR analysts and superusers) or is refused with NotAllowed; what an
    `actor` who is neither a superuser nor the system may touch is limited to their HR units: a row for a
    person outside them, a unit outside them or a line manager outside them is an error.

    `full_file` (see FullFile): people of the actor's units missing from the file leave, through `person_leave`,
    in the same transaction; the report's `absent` lists them (its `leavers_by_absence` counts them). More than
    CAPABILITY_FULL_FILE_MAX_LEAVERS_SHARE of the people there missing refuses the file as incomplete; so does a
    `confirmed` set (or number) that differs from the people missing now. A check (`confirmed` None) must be a
    dry run (ValueError otherwise).
    """
    if actor is not None and not actor.has_perm("skills.add_peopleimport"):
        raise NotAllowed("Only HR analysts can import people.")
    if full_file is not None and full_file.confirmed is None and not dry_run:
        raise ValueError("A full file is written only once HR has confirmed who leaves: check it as a dry run first.")
    source = source_name or file_name(file)
    report = PeopleImportReport(source=source, dry_run=dry_run)
    if full_file is not None and full_file.left_on > timezone.localdate():
        report.errors.append(
            RowError(
                source,
                None,
                "",
                f"The day the people missing from the file left, {full_file.left_on:%Y-%m-%d}, is in the future: "
                "mark people as having left on or after their last day.",
            )
        )
        report.error_count = 1
        return report
    with transaction.atomic(), opened(file) as handle:
        management_chain_lock()
        _identities_ensure()
        framework_slug = framework_slug or settings.CAPABILITY_DEFAULT_FRAMEWORK
        framework = Framework.objects.select_related("current_release").filter(slug=framework_slug).first()
        if framework is None or framework.current_release is None:
            what = "does not exist" if framework is None else "has no published release"
            report.errors.append(
                RowError(source, None, "", f"The framework {framework_slug!r} {what}: import and publish it first.")
            )
            report.error_count = 1
            return report
        report.framework, report.release = framework.slug, framework.current_release.label

        feed = people_feed_check(
            handle=handle,
            framework=framework,
            report=report,
            scope=hr_unit_names(user=actor),
            actor_staff=_staff_number_of(actor),
            privileged=privileged_user_ids,
            full_file=full_file is not None,
            max_absent_share=settings.CAPABILITY_FULL_FILE_MAX_LEAVERS_SHARE,
        )
        if full_file is not None and report.ok:
            report.absent = sorted(feed.absent.values())
            _check_confirmation(report, full_file.confirmed)
        if report.ok:
            report.unchanged = feed.unchanged
            writer = PeopleFeedWriter(
                feed=feed, actor=actor, dry_run=dry_run, absent_left_on=full_file.left_on if full_file else None
            )
            writer.write(handle)
            if dry_run:
                transaction.set_rollback(True)
            elif report.changed:
                data = report.audit_data()
                if full_file is not None:
                    data["full_file_left_on"] = full_file.left_on.isoformat()
                log(instance=framework, action="capability.skills.people_import", user=actor, data=data)
    report.errors.sort(key=lambda error: (error.row or 0, column_order(error.column)))
    return report


@transaction.atomic
def people_import_upload(
    *,
    file: UploadedFile,
    actor,
    framework_slug: str | None = None,
    dry_run: bool = False,
    full_file: bool = False,
    left_on: date | None = None,
) -> PeopleImport:
    """Store an uploaded HR feed and queue its import (after the commit). Superusers and HR analysts only (the
    `skills.add_peopleimport` permission). The returned record's status and report say how it went.

    A `full_file` (people of the uploader's units missing from it leave on `left_on`, not in the future) is
    checked first and kept, waiting for `people_import_confirm` or `people_import_cancel`; it cannot be a dry run
    (it is one until confirmed). SkillsError for a missing or future `left_on` or a dry run."""
    if actor is None or not actor.has_perm("skills.add_peopleimport"):
        raise NotAllowed("Only HR analysts can import people.")
    if full_file:
        if left_on is None:
            raise SkillsError("Give the day the people missing from the file left.")
        if left_on > timezone.localdate():
            raise SkillsError("The day the people missing from the file left cannot be in the future.")
        if dry_run:
            raise SkillsError("A full file is always checked before anything is written: untick 'Check only'.")
    record = PeopleImport.objects.create(
        file=file,
        # The name is shown in the admin and quoted in reports: keep it to one line of plain characters.
        original_name="".join(char for char in Path(file.name).name if control_character(char) is None)[:255]
        or "upload.csv",
        framework_slug=framework_slug or settings.CAPABILITY_DEFAULT_FRAMEWORK,
        dry_run=dry_run,
        full_file=full_file,
        left_on=left_on if full_file else None,
        requested_by=actor,
    )
    transaction.on_commit(lambda: people_import_run_task.delay(import_id=record.pk))
    return record


def people_import_run(*, import_id: int) -> PeopleImport:
    """Run a queued admin import (the Celery task calls this) and keep its report; then delete the uploaded
    file, which holds personal data. Finished imports are not run again, so a repeated task does nothing.
    A database that is busy (OperationalError) puts the import back in the queue and raises, for the task to
    retry; an uploader who may no longer import people (or whose account is gone) gets the import rejected with
    that reason; any other failure is recorded as crashed and logged.

    A full file not yet confirmed is checked (a dry run): when it passes, it waits (TO_CONFIRM) with its file
    kept and the ids of the people it leaves out in `absent_people`; a confirmed one is imported with exactly
    those people as leavers, or refused if they are no longer the people missing."""
    with transaction.atomic():
        record = PeopleImport.objects.select_for_update().get(pk=import_id)
        if record.is_finished or record.status == PeopleImportStatus.TO_CONFIRM:
            return record
        record.status = PeopleImportStatus.RUNNING
        record.save(update_fields=["status"])
    checking = record.full_file and record.confirmed_at is None
    dry_run = record.dry_run or checking
    full_file = None
    if record.full_file:
        full_file = FullFile(left_on=record.left_on, confirmed=None if checking else frozenset(record.absent_people))
    try:
        if record.requested_by is None:
            # Never the system's unlimited scope for a file an HR analyst uploaded.
            raise NotAllowed("The account that uploaded this file no longer exists, so it was not imported.")
        with record.file.open("rb") as handle:
            report = people_import(
                file=handle,
                framework_slug=record.framework_slug,
                actor=record.requested_by,
                dry_run=dry_run,
                source_name=record.original_name,
                full_file=full_file,
            )
    except NotAllowed as refusal:
        report = PeopleImportReport(source=record.original_name, dry_run=dry_run)
        report.errors.append(RowError(record.original_name, None, "", str(refusal)))
        report.error_count = 1
        record.status = PeopleImportStatus.REJECTED
        record.report = report.as_dict()
    except OperationalError:
        PeopleImport.objects.filter(pk=record.pk).update(status=PeopleImportStatus.QUEUED)
        raise
    except Exception:
        logger.exception("People import %s failed", record.pk)
        record.status = PeopleImportStatus.CRASHED
        record.report = {}
    else:
        if checking and report.ok:
            # Kept, file and all, until the uploader confirms or cancels it, or it expires.
            record.status = PeopleImportStatus.TO_CONFIRM
            record.report = report.as_dict()
            record.absent_people = report.absent
            record.save(update_fields=["status", "report", "absent_people"])
            return record
        record.status = PeopleImportStatus.SUCCEEDED if report.ok else PeopleImportStatus.REJECTED
        record.report = report.as_dict()
    # After a run, who was marked as having left by absence; after a refusal, nobody.
    record.absent_people = report.absent if record.status == PeopleImportStatus.SUCCEEDED else []
    record.finished_at = timezone.now()
    if record.file:
        record.file.delete(save=False)
    record.save(update_fields=["status", "report", "finished_at", "file", "absent_people"])
    return record


def people_import_confirm(*, import_id: int, actor) -> PeopleImport:
    """Confirm a checked full file: queue its import (after the commit) with the people its check found missing
    as leavers. Only its uploader or a superuser (or the system, `actor` None) may (NotAllowed otherwise). An
    import that is not waiting for confirmation (confirmed already, cancelled, expired) is returned unchanged.
    Audited ("capability.skills.people_import_confirm")."""
    with transaction.atomic():
        record = PeopleImport.objects.select_for_update().get(pk=import_id)
        _check_uploader(record, actor)
        if record.status != PeopleImportStatus.TO_CONFIRM:
            return record
        record.status = PeopleImportStatus.QUEUED
        record.confirmed_by = actor
        record.confirmed_at = timezone.now()
        record.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        log(
            instance=record,
            action="capability.skills.people_import_confirm",
            user=actor,
            data={"leavers_by_absence": len(record.absent_people), "left_on": record.left_on.isoformat()},
        )
        transaction.on_commit(lambda: people_import_run_task.delay(import_id=record.pk))
    return record


def people_import_cancel(*, import_id: int, actor) -> PeopleImport:
    """Cancel a checked full file instead of confirming it: nothing is written and the kept file is deleted.
    Who may: as `people_import_confirm`; an import not waiting for confirmation is returned unchanged. Audited
    ("capability.skills.people_import_cancel")."""
    with transaction.atomic():
        record = PeopleImport.objects.select_for_update().get(pk=import_id)
        _check_uploader(record, actor)
        if record.status != PeopleImportStatus.TO_CONFIRM:
            return record
        _close_unconfirmed(record, PeopleImportStatus.CANCELLED)
        log(instance=record, action="capability.skills.people_import_cancel", user=actor, data={})
    return record


def people_imports_expire(*, today: date | None = None, dry_run: bool = False) -> int:
    """Close the checked full files nobody confirmed or cancelled within CAPABILITY_FULL_FILE_CONFIRM_DAYS of
    their upload (EXPIRED), deleting the files they kept; the retention task calls this each night. Returns how
    many (that would be, in a `dry_run`). Idempotent. Each is audited ("capability.skills.people_import_expire")."""
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(
        datetime.combine(today - timedelta(days=settings.CAPABILITY_FULL_FILE_CONFIRM_DAYS), time.min)
    )
    waiting = PeopleImport.objects.filter(status=PeopleImportStatus.TO_CONFIRM, created_at__lt=cutoff)
    if dry_run:
        return waiting.count()
    expired = 0
    for pk in waiting.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            record = PeopleImport.objects.select_for_update().get(pk=pk)
            if record.status != PeopleImportStatus.TO_CONFIRM:
                continue
            _close_unconfirmed(record, PeopleImportStatus.EXPIRED)
            log(instance=record, action="capability.skills.people_import_expire", user=None, data={})
            expired += 1
    return expired


def _check_uploader(record: PeopleImport, actor) -> None:
    if actor is None or actor.is_superuser:
        return
    if record.requested_by_id != actor.pk or not actor.has_perm("skills.add_peopleimport"):
        raise NotAllowed("Only the HR analyst who uploaded this file, or a superuser, can confirm or cancel it.")


def _close_unconfirmed(record: PeopleImport, status: PeopleImportStatus) -> None:
    record.status = status
    record.finished_at = timezone.now()
    record.absent_people = []
    if record.file:
        record.file.delete(save=False)
    record.save(update_fields=["status", "finished_at", "absent_people", "file"])


def _check_confirmation(report: PeopleImportReport, confirmed: frozenset[int] | int | None) -> None:
    """Refuse a full file whose missing people are not the ones HR confirmed after the check: someone was added
    or left meanwhile (or the uploader's units changed), and HR has to see the new list."""
    if confirmed is None:
        return
    absent = set(report.absent)
    if isinstance(confirmed, int):
        if len(absent) == confirmed:
            return
        message = (
            f"{len(absent)} people are missing from the file, not the {confirmed} confirmed: nobody was marked as "
            "having left and nothing was written. Check the file again to see who they are."
        )
    else:
        if absent == confirmed:
            return
        more, fewer = len(absent - confirmed), len(confirmed - absent)
        message = (
            f"The people missing from the file have changed since it was checked ({more} more, {fewer} no longer "
            "missing): someone was added or left meanwhile. Nobody was marked as having left and nothing was "
            "written: upload the file again to check who leaves."
        )
    report.errors.append(RowError(report.source, None, "", message))
    report.error_count += 1


def _staff_number_of(user) -> str | None:
    if user is None:
        return None
    return Person.objects.filter(user=user).values_list("staff_number", flat=True).first()


def _identities_ensure() -> None:
    """Give an "hr-feed" identity to each person made outside the feed (the demo, a shell) who lacks one: their
    staff number is the feed's key for them. One query when everyone has one."""
    missing = Person.objects.exclude(identities__issuer=HR_FEED_ISSUER).values_list("pk", "staff_number")
    PersonIdentity.objects.bulk_create(
        [PersonIdentity(person_id=pk, issuer=HR_FEED_ISSUER, subject=staff) for pk, staff in missing],
        batch_size=BATCH_SIZE,
    )

"""The HR feed import: `people_import` runs the importer's check pass and writes what it found, all or nothing,
under the management-chain lock, with one audit entry; `people_import_upload` and `people_import_run` are its
background form for the admin (a `PeopleImport` record, run by a Celery task). See
docs/decisions/0200-people-import.md and 0204-hr-feed-copy.md."""

import logging
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
from skills.services.errors import NotAllowed
from skills.services.people_import_write import PeopleFeedWriter
from skills.tasks import people_import_run as people_import_run_task
from skills.validators import control_character

logger = logging.getLogger(__name__)


def people_import(
    *,
    file: str | Path | IO,
    actor,
    framework_slug: str | None = None,
    dry_run: bool = False,
    source_name: str | None = None,
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
    """
    if actor is not None and not actor.has_perm("skills.add_peopleimport"):
        raise NotAllowed("Only HR analysts can import people.")
    source = source_name or file_name(file)
    report = PeopleImportReport(source=source, dry_run=dry_run)
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
        )
        if report.ok:
            report.unchanged = feed.unchanged
            PeopleFeedWriter(feed=feed, actor=actor).write(handle)
            if dry_run:
                transaction.set_rollback(True)
            elif report.changed:
                log(instance=framework, action="capability.skills.people_import", user=actor, data=report.audit_data())
    report.errors.sort(key=lambda error: (error.row or 0, column_order(error.column)))
    return report


@transaction.atomic
def people_import_upload(
    *, file: UploadedFile, actor, framework_slug: str | None = None, dry_run: bool = False
) -> PeopleImport:
    """Store an uploaded HR feed and queue its import (after the commit). Superusers and HR analysts only (the
    `skills.add_peopleimport` permission). The returned record's status and report say how it went."""
    if actor is None or not actor.has_perm("skills.add_peopleimport"):
        raise NotAllowed("Only HR analysts can import people.")
    record = PeopleImport.objects.create(
        file=file,
        # The name is shown in the admin and quoted in reports: keep it to one line of plain characters.
        original_name="".join(char for char in Path(file.name).name if control_character(char) is None)[:255]
        or "upload.csv",
        framework_slug=framework_slug or settings.CAPABILITY_DEFAULT_FRAMEWORK,
        dry_run=dry_run,
        requested_by=actor,
    )
    transaction.on_commit(lambda: people_import_run_task.delay(import_id=record.pk))
    return record


def people_import_run(*, import_id: int) -> PeopleImport:
    """Run a queued admin import (the Celery task calls this) and keep its report; then delete the uploaded
    file, which holds personal data. Finished imports are not run again, so a repeated task does nothing.
    A database that is busy (OperationalError) puts the import back in the queue and raises, for the task to
    retry; an uploader who may no longer import people (or whose account is gone) gets the import rejected with
    that reason; any other failure is recorded as crashed and logged."""
    with transaction.atomic():
        record = PeopleImport.objects.select_for_update().get(pk=import_id)
        if record.is_finished:
            return record
        record.status = PeopleImportStatus.RUNNING
        record.save(update_fields=["status"])
    try:
        if record.requested_by is None:
            # Never the system's unlimited scope for a file an HR analyst uploaded.
            raise NotAllowed("The account that uploaded this file no longer exists, so it was not imported.")
        with record.file.open("rb") as handle:
            report = people_import(
                file=handle,
                framework_slug=record.framework_slug,
                actor=record.requested_by,
                dry_run=record.dry_run,
                source_name=record.original_name,
            )
    except NotAllowed as refusal:
        report = PeopleImportReport(source=record.original_name, dry_run=record.dry_run)
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
        record.status = PeopleImportStatus.SUCCEEDED if report.ok else PeopleImportStatus.REJECTED
        record.report = report.as_dict()
    record.finished_at = timezone.now()
    if record.file:
        record.file.delete(save=False)
    record.save(update_fields=["status", "report", "finished_at", "file"])
    return record


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

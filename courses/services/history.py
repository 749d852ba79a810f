"""Importing training history: a department moving to Capability keeps its people's past training as confirmed
completions with their course evidence in the skills ledger.

All or nothing: the file is checked whole first (`courses.importers.history`), and if any row is bad nothing is
written and every bad row is named. A check (`dry_run`) says what an import would write and writes nothing.
Idempotent: a completion already recorded for the same person, course and date is left as it is, so importing
the same file again changes nothing. Each completion written is a `CourseCompletion` (confirmed, by the
administrator, evidence "Imported from <file>") with its course evidence recorded through
`skills.services.course_evidence_record` at the historical date (`reference="courses.completion:<id>"`) and an
audit entry. An imported completion asks for no certificate: one issued then was issued elsewhere.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from courses.enums import CompletionStatus
from courses.errors import CoursesError, NotAllowed
from courses.importers.history import HistoryProblem, HistoryRow, history_read
from courses.models import CourseCompletion, CourseOutcome
from skills.services import Outcome, course_evidence_record

IMPORT_PERMISSIONS = ("courses.view_booking", "courses.add_booking")


@dataclass
class HistoryResult:
    file_name: str
    dry_run: bool
    rows: int = 0
    to_write: list[HistoryRow] = field(default_factory=list)
    already_recorded: int = 0
    not_completed: int = 0
    problems: list[HistoryProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def summary(self) -> str:
        if not self.ok:
            count = len(self.problems)
            return f"{self.file_name}: {count} row{'s' if count != 1 else ''} to fix. Nothing was written."
        would = "would be " if self.dry_run else ""
        return (
            f"{self.file_name}: {len(self.to_write)} completion{'s' if len(self.to_write) != 1 else ''} {would}"
            f"recorded, {self.already_recorded} already recorded, {self.not_completed} not completions (skipped)."
        )


class HistoryImportError(CoursesError):
    """The file has bad rows: nothing was written. `result.problems` names each."""

    def __init__(self, result: HistoryResult):
        self.result = result
        super().__init__(result.summary)


def history_check(*, text: str, file_name: str, dry_run: bool = True) -> HistoryResult:
    """What importing the file would do, writing nothing. Four queries."""
    read = history_read(text)
    result = HistoryResult(file_name=file_name, dry_run=dry_run, rows=len(read.rows), problems=read.problems)
    if read.problems:
        return result
    completed = [row for row in read.rows if row.completed]
    result.not_completed = len(read.rows) - len(completed)
    existing = set(
        CourseCompletion.objects.filter(
            status=CompletionStatus.CONFIRMED,
            person_id__in={row.person.pk for row in completed},
            course_id__in={row.course.pk for row in completed},
        ).values_list("person_id", "course_id", "completed_on")
    )
    for row in completed:
        if (row.person.pk, row.course.pk, row.completed_on) in existing:
            result.already_recorded += 1
        else:
            result.to_write.append(row)
    return result


def history_import(*, text: str, file_name: str, actor, dry_run: bool) -> HistoryResult:
    """Check the file and, unless `dry_run`, write its new completions, all in one transaction. Only a training
    administrator (NotAllowed otherwise); a file with bad rows raises HistoryImportError and writes nothing."""
    if actor is None or not actor.is_active or not actor.has_perms(IMPORT_PERMISSIONS):
        raise NotAllowed("Only a training administrator can import training history.")
    file_name = file_name.rsplit("/", 1)[-1][:200]
    with transaction.atomic():
        result = history_check(text=text, file_name=file_name, dry_run=dry_run)
        if not result.ok:
            raise HistoryImportError(result)
        if dry_run or not result.to_write:
            return result
        outcomes: dict[int, list[Outcome]] = {}
        for course_id, framework_id, code, rank in CourseOutcome.objects.filter(
            course_id__in={row.course.pk for row in result.to_write}
        ).values_list("course_id", "framework_id", "skill_code", "to_rank"):
            outcomes.setdefault(course_id, []).append(Outcome(framework_id, code, rank))
        now = timezone.now()
        evidence = f"Imported from {file_name}"
        for row in result.to_write:
            completion = CourseCompletion.objects.create(
                person=row.person,
                course=row.course,
                completed_on=row.completed_on,
                evidence=evidence,
                status=CompletionStatus.CONFIRMED,
                decided_by=actor,
                decided_at=now,
            )
            course_evidence_record(
                person=row.person,
                outcomes=outcomes.get(row.course.pk, []),
                reference=f"courses.completion:{completion.pk}",
                title=row.course.title,
                url=row.course.url or "",
                award=row.course.award,
                achieved_on=row.completed_on,
                author=actor,
                evidence=f"{evidence}: completed {row.course.title} on {row.completed_on:%-d %B %Y}.",
            )
            log(
                instance=completion,
                action="capability.courses.history_import",
                user=actor,
                data={"file": file_name, "line": row.line, "person": row.person.pk, "course": row.course.pk},
            )
    return result

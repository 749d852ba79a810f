"""Reading a training-history CSV and checking every row, writing nothing (`courses.services.history` writes).

The file: UTF-8 CSV with a heading row naming these columns, in any order (other columns are ignored):
- ``staff_number``: the person's staff number, as HR's feed has it;
- ``course``: the course page's slug (the last part of its address: ``/courses/data-modelling/`` is
  ``data-modelling``; a whole address is accepted too). Titles are not unique, slugs are, so the slug decides;
- ``date``: the day the training was completed, ``2025-03-14`` or ``14/03/2025``, not in the future;
- ``outcome``: ``completed`` (or ``attended``) is recorded; ``no-show`` (``did not attend``) and ``cancelled`` are
  accepted and skipped — without a session there is nothing to record for them — so that a whole export from the
  old system can be uploaded as it is.

Every bad row is named with its line number and what to fix; a row repeating an earlier one (same person, course
and date) is an error too, so the file says one thing once.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from courses.models import CoursePage
from skills.models import Person

HISTORY_COLUMNS = ("staff_number", "course", "date", "outcome")
MAX_BYTES = 2_000_000
MAX_ROWS = 20_000
COMPLETED = "completed"
NOT_COMPLETED = "not completed"
OUTCOMES = {
    "completed": COMPLETED,
    "attended": COMPLETED,
    "no-show": NOT_COMPLETED,
    "no show": NOT_COMPLETED,
    "did not attend": NOT_COMPLETED,
    "cancelled": NOT_COMPLETED,
    "canceled": NOT_COMPLETED,
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass(frozen=True)
class HistoryProblem:
    line: int
    message: str


@dataclass
class HistoryRow:
    line: int
    person: Person
    course: CoursePage
    completed_on: date
    completed: bool


@dataclass
class HistoryFile:
    rows: list[HistoryRow] = field(default_factory=list)
    problems: list[HistoryProblem] = field(default_factory=list)


def _course_slug(value: str) -> str:
    return value.strip().rstrip("/").rsplit("/", 1)[-1].lower()


def _date(value: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    return None


def history_read(text: str, *, today: date | None = None) -> HistoryFile:
    """The file's rows with their people and courses found, and every problem. Three queries."""
    today = today or timezone.localdate()
    result = HistoryFile()
    reader = csv.DictReader(io.StringIO(text))
    headings = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
    missing = [column for column in HISTORY_COLUMNS if column not in headings]
    if missing:
        result.problems.append(
            HistoryProblem(
                1,
                f"The heading row must name the columns {', '.join(HISTORY_COLUMNS)}: "
                f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing.",
            )
        )
        return result
    raw = []
    for number, record in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            result.problems.append(HistoryProblem(number, f"The file has more than {MAX_ROWS:,} rows: split it."))
            return result
        values = {column: (record.get(headings[column]) or "").strip() for column in HISTORY_COLUMNS}
        if not any(values.values()):
            continue  # a blank line
        raw.append((number, values))
    if not raw:
        result.problems.append(HistoryProblem(2, "The file has no rows under its heading row."))
        return result

    people = Person.objects.in_bulk(
        {values["staff_number"] for _, values in raw if values["staff_number"]}, field_name="staff_number"
    )
    courses = {
        course.slug: course
        for course in CoursePage.objects.live().filter(slug__in={_course_slug(values["course"]) for _, values in raw})
    }
    seen: dict[tuple, int] = {}
    for number, values in raw:
        problems = []
        person = people.get(values["staff_number"])
        if not values["staff_number"]:
            problems.append("the staff number is empty")
        elif person is None:
            problems.append(f"no one has the staff number {values['staff_number']}: check it against HR's feed")
        slug = _course_slug(values["course"])
        course = courses.get(slug)
        if not slug:
            problems.append("the course is empty: give the course page's slug")
        elif course is None:
            problems.append(f"there is no published course with the slug “{slug}”")
        completed_on = _date(values["date"])
        if completed_on is None:
            problems.append(f"“{values['date']}” is not a date: write it as 2025-03-14 or 14/03/2025")
        elif completed_on > today:
            problems.append(f"the date {completed_on:%-d %B %Y} is in the future")
        outcome = OUTCOMES.get(values["outcome"].lower())
        if outcome is None:
            problems.append(
                f"the outcome “{values['outcome']}” is not one of completed, attended, no-show, did not attend, "
                "cancelled"
            )
        if problems:
            text = "; ".join(problems)
            result.problems.append(HistoryProblem(number, text[0].upper() + text[1:] + "."))
            continue
        key = (person.pk, course.pk, completed_on)
        if key in seen:
            result.problems.append(
                HistoryProblem(number, f"This row repeats line {seen[key]} (same person, course and date): remove one.")
            )
            continue
        seen[key] = number
        result.rows.append(HistoryRow(number, person, course, completed_on, outcome == COMPLETED))
    return result

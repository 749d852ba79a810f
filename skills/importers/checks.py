"""The HR feed's checks of each row, against the reference data and the rows before it: every problem is
recorded with its row and column, and a good row is resolved to the ids and names it will be written with.
Nothing here queries the database (the reference data is read once, by `existing.ReferenceData`)."""

import difflib
from datetime import date
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from skills.importers.errors import PeopleFileChanged, RowError
from skills.importers.existing import ReferenceData
from skills.importers.reading import COLUMNS, OPTIONAL_VALUES, FeedFile, name_key
from skills.importers.report import MAX_ERRORS, PeopleImportReport
from skills.models import Person, Profession
from skills.models.organisation import SEPARATOR, full_name_within, org_unit_path_split
from skills.validators import control_character, control_character_message


class FeedRow(NamedTuple):
    """A good row, resolved: what the person's records are written with."""

    number: int
    staff_number: str
    email: str
    first_name: str
    last_name: str
    org_unit: str
    grade_id: int
    profession: str
    manager: str
    role_level_id: int
    left_on: date | None = None


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class RowChecks:
    """Checks every row and remembers just enough of the file (staff numbers, e-mails, managers, distinct units
    and professions) to check what spans rows and to write in the second pass. `scope` holds the full names of
    the units the uploader is responsible for as HR (None for no limit)."""

    def __init__(self, *, reference: ReferenceData, report: PeopleImportReport, scope: list[str] | None = None):
        self.reference = reference
        self.report = report
        self.scope = scope
        self.file = FeedFile(self.error)
        self.staff_rows: dict[str, int] = {}
        self.email_rows: dict[str, int] = {}
        self.managers: dict[str, str] = {}
        self.unit_names: set[str] = set()
        self.professions: dict[str, str] = {}
        # Staff number -> (row, the day they left) of the rows whose `left_on` is a good date.
        self.leaver_rows: dict[str, tuple[int, date]] = {}
        self.today = timezone.localdate()
        self._unit_cache: dict[str, tuple[str, str]] = {}
        self._role_cache: dict[tuple[str, str], tuple[int | None, str, str]] = {}
        user_model = get_user_model()
        self.lengths = {
            "staff_number": _max_length(Person, "staff_number"),
            "email": _max_length(user_model, "email"),
            "first_name": _max_length(user_model, "first_name"),
            "last_name": _max_length(user_model, "last_name"),
            "profession": _max_length(Profession, "name"),
        }

    def error(self, row: int | None, column: str, message: str) -> None:
        self.report.error_count += 1
        if len(self.report.errors) < MAX_ERRORS:
            self.report.errors.append(RowError(self.report.source, row, column, message))

    def check_row(self, number: int, values: list[str], *, first_pass: bool = True) -> FeedRow | None:
        """The row's values resolved to ids, or None after recording its errors. The first pass also checks
        what spans rows (duplicates, e-mails held by others) and remembers what the second pass needs."""
        if len(values) != self.file.width:
            self.error(
                number,
                "",
                f"This row has {len(values)} values but the header has {self.file.width} columns: "
                "look for a stray comma or an unclosed quote.",
            )
            return None
        cells = {column: values[position].strip() for column, position in self.file.positions.items()}
        errors_before = self.report.error_count

        # One search of the whole row finds that most rows hold no control character at all.
        suspect = control_character("".join(cells.values())) is not None
        for column in COLUMNS:
            if column not in OPTIONAL_VALUES and not cells[column]:
                self.error(number, column, f"The {column.replace('_', ' ')} is empty: fill it in.")
            char = control_character(cells[column]) if suspect else None
            if char is not None:
                self.error(number, column, control_character_message(char))
                cells[column] = ""  # reported once: the checks below skip an empty value
        for column, limit in self.lengths.items():
            if len(cells[column]) > limit:
                self.error(number, column, f"This is {len(cells[column])} characters long: at most {limit} fit.")

        staff, manager, email = cells["staff_number"], cells["line_manager_staff_number"], cells["email"].lower()
        if manager and manager == staff:
            self.error(number, "line_manager_staff_number", "A person cannot be their own line manager.")
        if first_pass:
            self._remember(number, staff, manager, email)
        unit = self._check_unit(number, cells["org_unit"])
        grade_id = self._check_grade(number, cells["grade"])
        profession = " ".join(cells["profession"].split())
        if profession:
            self.professions.setdefault(name_key(profession), profession)
        role_level_id = self._check_role(number, cells["role"], cells["role_level"])
        left_on = self._check_left_on(number, cells.get("left_on", ""))
        if first_pass and left_on is not None and staff and staff not in self.leaver_rows:
            self.leaver_rows[staff] = (number, left_on)

        if self.report.error_count != errors_before:
            return None
        return FeedRow(
            number,
            staff,
            email,
            cells["first_name"],
            cells["last_name"],
            unit,
            grade_id,
            profession,
            manager,
            role_level_id,
            left_on,
        )

    def check_row_again(self, number: int, values: list[str]) -> FeedRow:
        row = self.check_row(number, values, first_pass=False)
        if row is None:
            raise PeopleFileChanged("The file changed while it was being imported: nothing was written. Try again.")
        return row

    def _remember(self, number: int, staff: str, manager: str, email: str) -> None:
        if staff:
            first = self.staff_rows.get(staff)
            if first is not None:
                self.error(number, "staff_number", f"{staff} is also on row {first}: each person must appear once.")
                return
            self.staff_rows[staff] = number
            if manager and manager != staff:
                self.managers[staff] = manager
        if not email:
            return
        try:
            validate_email(email)
        except ValidationError:
            self.error(number, "email", f"{email!r} is not a valid e-mail address.")
            return
        first = self.email_rows.get(email)
        if first is not None:
            self.error(number, "email", f"{email} is also on row {first}: each person needs their own address.")
            return
        self.email_rows[email] = number

    def _check_left_on(self, number: int, value: str) -> date | None:
        """The day the person left, from the optional `left_on` column: empty for someone still here."""
        if not value:
            return None
        try:
            left_on = date.fromisoformat(value)
        except ValueError:
            self.error(number, "left_on", f"{value!r} is not a date: write the day the person left as YYYY-MM-DD.")
            return None
        if left_on > self.today:
            self.error(
                number,
                "left_on",
                f"{left_on:%Y-%m-%d} is in the future: mark a person as having left on or after their last day.",
            )
            return None
        return left_on

    def _check_unit(self, number: int, value: str) -> str:
        if not value:
            return ""
        if value not in self._unit_cache:
            try:
                names = org_unit_path_split(value)
            except ValueError as exc:
                self._unit_cache[value] = ("", f"{exc} For example 'Department for Education/Digital and Data'.")
            else:
                self._unit_cache[value] = (SEPARATOR.join(names), "")
        full_name, message = self._unit_cache[value]
        if not message and not full_name_within(full_name, self.scope):
            message = f"{full_name} is outside the organisation units you are responsible for."
        if message:
            self.error(number, "org_unit", message)
        else:
            self.unit_names.add(full_name)
        return full_name

    def _check_grade(self, number: int, value: str) -> int:
        if not value:
            return 0
        grade_id = self.reference.grades.get(name_key(value)) or self.reference.grades.get(
            name_key(value).replace(" ", "")
        )
        if grade_id is None:
            self.error(
                number,
                "grade",
                f"Unknown grade {value!r}: use one of {', '.join(self.reference.grade_labels)} "
                "(or its name, e.g. 'Grade 7').",
            )
            return 0
        return grade_id

    def _check_role(self, number: int, role: str, role_level: str) -> int:
        if not role or not role_level:
            return 0
        cache_key = (role, role_level)
        if cache_key not in self._role_cache:
            self._role_cache[cache_key] = self._resolve_role(role, role_level)
        role_level_id, column, message = self._role_cache[cache_key]
        if message:
            self.error(number, column, message)
        return role_level_id or 0

    def _resolve_role(self, role: str, role_level: str) -> tuple[int | None, str, str]:
        reference = self.reference
        role_id = reference.roles.get(name_key(role))
        if role_id is None:
            suggestion = _suggest(role, reference.role_names.values())
            return (None, "role", f"{role!r} is not a role in {reference.release_label()}{suggestion}.")
        role_level_id = reference.role_levels.get((role_id, name_key(role_level)))
        if role_level_id is None:
            levels = reference.level_names.get(role_id, [])
            role_name = reference.role_names[role_id]
            if not levels:
                return (None, "role_level", f"The role {role_name!r} has no levels in {reference.release_label()}.")
            return (
                None,
                "role_level",
                f"{role_level!r} is not a level of the role {role_name!r}: use one of {', '.join(levels)}.",
            )
        return (role_level_id, "", "")


def _suggest(value: str, names) -> str:
    close = difflib.get_close_matches(value, list(names), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ": check the spelling against the framework"

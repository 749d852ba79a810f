"""The HR feed's checks of line management: every line manager is in the file or the database, inside the
uploader's units, no row changes the uploader's own line management, and no management chain loops."""

from skills.importers.checks import RowChecks
from skills.importers.existing import people_by_staff_number
from skills.importers.reading import chunks
from skills.models.organisation import full_name_within


def managers_check(
    check: RowChecks, *, actor_staff: str | None = None, current_managers: dict[str, str | None] | None = None
) -> None:
    """Every line manager is in the file or the database, and no management chain loops, counting the line
    managers of people in the database who are not in the file. `actor_staff` is the uploader's staff number
    and `current_managers` the line managers now (by staff number) of the people of the file in the database:
    no row may change a line management relationship the uploader is part of."""
    outside = {manager for manager in check.managers.values() if manager not in check.staff_rows}
    # Staff number -> manager's staff number, for the people outside the file that chains reach.
    above: dict[str, str | None] = {}
    out_of_scope: set[str] = set()
    frontier = outside
    while frontier:
        found = {}
        for chunk in chunks(sorted(frontier)):
            for staff, manager, unit in people_by_staff_number(chunk).values_list(
                "staff_number", "line_manager__staff_number", "org_unit__full_name"
            ):
                found[staff] = manager
                if staff in outside and not full_name_within(unit, check.scope):
                    out_of_scope.add(staff)
        above.update(found)
        frontier = {manager for manager in found.values() if manager and manager not in check.staff_rows}
        frontier -= above.keys()

    for staff, manager in check.managers.items():
        if manager not in check.staff_rows and manager not in above:
            check.error(
                check.staff_rows[staff],
                "line_manager_staff_number",
                f"{manager} is in neither this file nor the database: add their row or correct the staff number.",
            )
        elif manager in out_of_scope:
            check.error(
                check.staff_rows[staff],
                "line_manager_staff_number",
                f"{manager} is outside the organisation units you are responsible for: choose a line manager in yours.",
            )

    if actor_staff is not None:
        for staff, number in check.staff_rows.items():
            old, new = (current_managers or {}).get(staff), check.managers.get(staff)
            if old != new and actor_staff in (staff, old, new):
                check.error(
                    number,
                    "line_manager_staff_number",
                    "Nobody can change a line management relationship they are part of, and this row changes "
                    "yours: ask another HR analyst to import it.",
                )

    def manager_of(staff: str) -> str | None:
        return check.managers.get(staff) if staff in check.staff_rows else above.get(staff)

    explored: set[str] = set()
    for start in check.staff_rows:
        path: list[str] = []
        on_path: dict[str, int] = {}
        staff = start
        while staff is not None and staff not in explored:
            if staff in on_path:
                _report_loop(check, start, path[on_path[staff] :])
                break
            on_path[staff] = len(path)
            path.append(staff)
            staff = manager_of(staff)
        explored.update(path)


def _report_loop(check: RowChecks, start: str, loop: list[str]) -> None:
    def label(staff: str) -> str:
        row = check.staff_rows.get(staff)
        return f"{staff} (row {row})" if row else f"{staff} (in the database)"

    rows = [check.staff_rows[staff] for staff in loop if staff in check.staff_rows]
    chain = " → ".join([*map(label, loop), loop[0]])
    check.error(
        min(rows) if rows else check.staff_rows[start],
        "line_manager_staff_number",
        f"The management chain loops: {chain} (each is managed by the next). Change one of these line managers.",
    )

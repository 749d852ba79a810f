"""Issue 13's journey in the browser: an HR analyst, responsible for two of three departments, opens the capability
dashboard, filters it to one profession, drills down from a department to a team, exports the heatmap as XLSX and
CSV (read back here: no formula anywhere, suppressed cells marked "[c]", the filters written in the file, and the
third department nowhere), and reads the trend chart drawn from the snapshots the nightly task kept. Every page
passes axe-core. At 1280px the whole journey is done with the keyboard alone (Tab, Enter, Space and typing, never
a click); at 375px, a phone, it is done by tapping."""

import csv
import io
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from frameworks.models import RoleLevel
from skills.enums import AssessmentSource
from skills.selectors.report_tables import SUPPRESSED
from skills.services.capability_summary import capability_summary_refresh
from skills.tasks import capability_summary_refresh as capability_summary_refresh_task
from tests.cms.factories import PASSWORD
from tests.e2e.conftest import RESULTS_DIR
from tests.frameworks.factories import publish_directly, release_with_roles
from tests.skills.factories import AssessmentFactory, PersonFactory, ProfessionFactory, hr_analyst_for, org_unit

DDAT = "Digital, Data and Technology"
SKILLS = ["Agile working", "Programming and build (software engineering)", "User focus"]
# (unit, profession, people, how many of the three skills each meets by validated levels today)
PEOPLE = [
    ("Department for Education/Digital/Teaching vacancies", DDAT, 8, 3),
    ("Department for Education/Digital/Teaching vacancies", "Policy", 4, 0),
    ("Department for Education/Digital/Apply for teacher training", DDAT, 6, 2),
    ("Department for Education/Digital/Teacher services content", DDAT, 3, 1),  # a small team: "[c]"
    ("Department for Education/Data/School census data", DDAT, 7, 1),
    ("Department for Work and Pensions/Digital/Universal Credit", DDAT, 9, 2),
    ("HM Revenue and Customs/Digital/Self Assessment", DDAT, 6, 3),  # not the analyst's: seen nowhere
]
OTHER_DEPARTMENT = "HM Revenue and Customs"
# Snapshots the nightly task kept on days past, each with what people had validated by then.
HISTORY_DAYS = (150, 90, 30)


@dataclass
class Journey:
    """How the person gets about: the keyboard alone (Tab to a control, then Enter), or a tap."""

    page: Page
    keyboard: bool
    downloads: Path

    def focus(self, target: Locator, *, limit: int = 250) -> None:
        if not self.keyboard:
            target.focus()
            return
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if target.evaluate("element => element === document.activeElement"):
                return
        pytest.fail(f"{limit} presses of Tab never reached {target}")

    def follow(self, target: Locator, key: str = "Enter") -> None:
        """Follow a link or press a button, and wait for the page it leads to."""
        with self.page.expect_navigation():
            self.press(target, key)

    def press(self, target: Locator, key: str = "Enter") -> None:
        if self.keyboard:
            self.focus(target)
            self.page.keyboard.press(key)
        else:
            target.click()

    def choose(self, select: Locator, label: str) -> None:
        """Choose an option of a drop-down: with the keyboard, by typing its first letters, as a person would."""
        if self.keyboard:
            self.focus(select)
            self.page.keyboard.type(label)
        else:
            select.select_option(label=label)
        expect(select.locator("option:checked")).to_have_text(label)

    def download(self, target: Locator) -> Path:
        """The file a link downloads, saved under the name the server gives it."""
        with self.page.expect_download() as download_info:
            self.press(target)
        download = download_info.value
        path = self.downloads / download.suggested_filename
        download.save_as(path)
        return path


def _organisation():
    release = release_with_roles(skills=3, roles=1, levels_per_role=1, requirements_per_level=3)
    skills = list(release.skills.order_by("pk"))
    for skill, name in zip(skills, SKILLS, strict=True):
        skill.name = name
        skill.save(update_fields=["name"])
    publish_directly(release)
    role_level = RoleLevel.objects.get(release=release)
    required = {requirement.skill_id: requirement.level for requirement in role_level.requirements.all()}
    professions = {name: ProfessionFactory(name=name) for name in (DDAT, "Policy")}
    validations = []  # (person, skill): validated in the order they are listed, the history's
    for unit_name, profession, count, meets in PEOPLE:
        unit = org_unit(unit_name)
        for _ in range(count):
            person = PersonFactory(org_unit=unit, profession=professions[profession], current_role_level=role_level)
            for skill in skills:
                AssessmentFactory(person=person, skill=skill, level=required[skill.pk], source=AssessmentSource.SELF)
            validations += [(person, skill, required[skill.pk]) for skill in skills[:meets]]
    return validations


def _history(validations) -> None:
    """The snapshots the nightly task kept: on each day past a larger share of today's validations had been made
    (so the trend rises), and today's, taken by the task itself."""
    today = timezone.localdate()
    done = 0
    for step, days_ago in enumerate(HISTORY_DAYS):
        upto = len(validations) * step // len(HISTORY_DAYS)
        for person, skill, level in validations[done:upto]:
            AssessmentFactory(person=person, skill=skill, level=level, source=AssessmentSource.LINE_MANAGER)
        done = upto
        capability_summary_refresh(today=today - timedelta(days=days_ago))
    for person, skill, level in validations[done:]:
        AssessmentFactory(person=person, skill=skill, level=level, source=AssessmentSource.LINE_MANAGER)
    capability_summary_refresh_task.delay()


# The admin scrolls inside its own layout, so a "full page" screenshot is only the window: grow the window instead.
PAGE_HEIGHT = (
    "() => Math.max(...[...document.querySelectorAll('body, main, .content-wrapper')].map(e => e.scrollHeight))"
)


def _shoot(page: Page, name: str) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    viewport = page.viewport_size
    page.set_viewport_size({"width": viewport["width"], "height": page.evaluate(PAGE_HEIGHT)})
    page.screenshot(path=str(RESULTS_DIR / f"capability-journey-{name}-{viewport['width']}.png"), full_page=True)
    page.set_viewport_size(viewport)


def _no_formula_anywhere(book) -> None:
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"a formula in {sheet.title}!{cell.coordinate}: {cell.value}"
                assert not (isinstance(cell.value, str) and cell.value.startswith("=")), cell.value


def _sheet_rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _check_xlsx(path: Path) -> None:
    book = openpyxl.load_workbook(path)
    _no_formula_anywhere(book)
    about = _sheet_rows(book["About this report"])
    assert ["Profession", DDAT] in [row[:2] for row in about]
    assert ["Organisation unit", "Department for Education/Digital"] in [row[:2] for row in about]
    shares = _sheet_rows(book["heatmap-skill"])
    assert shares[1] == ["Unit", *SKILLS]
    rows = {row[0]: row[1:] for row in shares[2:] if row and row[0]}
    assert rows["Teacher services content"] == [SUPPRESSED] * 3
    # The smallest other team is hidden too, so that the small one cannot be worked out from the total.
    assert rows["Apply for teacher training"] == [SUPPRESSED] * 3
    assert rows["Teaching vacancies"] == ["100%"] * 3
    everything = " ".join(str(value) for sheet in book.worksheets for row in _sheet_rows(sheet) for value in row)
    assert OTHER_DEPARTMENT not in everything
    assert "Policy" not in everything.replace(f"Profession {DDAT}", "")


def _check_csv(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert ["Profession", DDAT] in rows
    assert ["Organisation unit", "Department for Education/Digital"] in rows
    assert not any(value.startswith(("=", "+", "@")) for row in rows for value in row)
    heatmap = rows.index(["Unit", *SKILLS])
    assert rows[heatmap + 1 : heatmap + 5] == [
        ["Apply for teacher training", SUPPRESSED, SUPPRESSED, SUPPRESSED],
        ["Teacher services content", SUPPRESSED, SUPPRESSED, SUPPRESSED],
        ["Teaching vacancies", "100%", "100%", "100%"],
        ["All of Department for Education/Digital", "100%", "82%", "47%"],
    ]
    assert OTHER_DEPARTMENT not in text


@pytest.mark.parametrize(
    ("viewport", "keyboard"),
    [({"width": 1280, "height": 800}, True), ({"width": 375, "height": 740}, False)],
    ids=["desktop-keyboard", "phone"],
)
def test_an_hr_analyst_finds_the_gaps_in_their_departments_and_takes_them_away_without_exposing_anyone(
    page: Page, keyboard, tmp_path, sign_in, assert_accessible
):
    validations = _organisation()
    _history(validations)
    analyst = hr_analyst_for("Department for Education", "Department for Work and Pensions")
    journey = Journey(page=page, keyboard=keyboard, downloads=tmp_path)
    sign_in(page, analyst.email, PASSWORD, next_path="/admin/capability/")

    # The dashboard: both of their departments, and the third nowhere.
    expect(page.get_by_role("heading", name="Capability dashboard", level=1)).to_be_visible()
    units = page.locator("[data-report=units]")
    expect(units.get_by_role("link", name="Department for Education", exact=True)).to_be_visible()
    expect(units.get_by_role("link", name="Department for Work and Pensions")).to_be_visible()
    expect(page.get_by_text(OTHER_DEPARTMENT)).to_have_count(0)
    _shoot(page, "dashboard")
    assert_accessible(page)

    # Filter to one profession.
    journey.press(page.get_by_text("Filter the figures"), "Space")
    journey.choose(page.get_by_label("Profession"), DDAT)
    journey.follow(page.get_by_role("button", name="Show the figures"))
    expect(page.locator("summary", has_text="Filter the figures")).to_contain_text(f"1 in use: profession {DDAT}")
    assert_accessible(page)

    # Drill down: department, directorate, team.
    journey.follow(page.locator("[data-report=units]").get_by_role("link", name="Department for Education"))
    expect(page.get_by_role("heading", name="Department for Education", exact=True)).to_be_visible()
    assert_accessible(page)
    journey.follow(page.locator("[data-report=units]").get_by_role("link", name="Digital"))
    expect(page.get_by_role("heading", name="Department for Education/Digital", exact=True)).to_be_visible()
    units = page.locator("[data-report=units]")
    expect(units.get_by_role("row", name="Teacher services content")).to_contain_text(SUPPRESSED)
    assert_accessible(page)
    journey.follow(units.get_by_role("link", name="Teaching vacancies"))
    expect(
        page.get_by_role("heading", name="Department for Education/Digital/Teaching vacancies", exact=True)
    ).to_be_visible()
    _shoot(page, "team")
    assert_accessible(page)

    # Back up to the directorate, and its heatmap: the teams side by side, the small one hidden.
    journey.follow(page.get_by_role("navigation", name="Capability reports").get_by_role("link", name="Heatmap"))
    expect(page.get_by_role("heading", name="Capability heatmap", level=1)).to_be_visible()
    journey.follow(page.get_by_role("navigation", name="Units above").get_by_role("link", name="Digital"))
    heatmap = page.locator("table[data-report=heatmap-skill]")
    expect(heatmap.get_by_role("row", name="Teacher services content")).to_contain_text(SUPPRESSED)
    expect(heatmap.get_by_role("row", name="Teaching vacancies")).to_contain_text("100%")
    _shoot(page, "heatmap")
    assert_accessible(page)

    # Both files, read back.
    today = timezone.localdate().isoformat()
    xlsx = journey.download(page.get_by_role("link", name="Excel (XLSX)"))
    assert xlsx.name == f"capability-heatmap-skill-{today}.xlsx"
    _check_xlsx(xlsx)
    csv_file = journey.download(page.get_by_role("link", name="CSV"))
    assert csv_file.name == f"capability-heatmap-skill-{today}.csv"
    _check_csv(csv_file)

    # The trend: a point for each month a snapshot was kept, and the figures as a table too.
    journey.follow(page.get_by_role("navigation", name="Capability reports").get_by_role("link", name="Trends"))
    chart = page.locator("svg.capability-trend-chart")
    expect(chart).to_be_visible()
    expect(chart.locator("circle")).to_have_count(len(HISTORY_DAYS) + 1)
    expect(page.locator("[data-report=trend] tbody tr").filter(has_text="%")).to_have_count(len(HISTORY_DAYS) + 1)
    _shoot(page, "trends")
    assert_accessible(page)

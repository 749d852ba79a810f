"""A capability report as CSV, XLSX and PDF: text that a spreadsheet would run is written as text, numbers stay
numbers, suppressed cells read "[c]", every file says what it is and which filters made it, the PDF escapes what
people typed, loads nothing from outside and splits a heatmap too wide for a page, and the XLSX of a department's
heatmap is written in bounded memory."""

import csv
import io
import tempfile
import time
import tracemalloc
import urllib.request
from datetime import UTC, datetime

import openpyxl
import pypdfium2
import pytest
from django.test import override_settings
from django.utils.safestring import mark_safe

from frameworks.spreadsheets import formula_safe
from skills.capability_exports import (
    ABOUT_SHEET,
    PDF_COLUMNS_PER_TABLE,
    as_of_text,
    csv_response,
    file_name,
    pdf_response,
    printed_tables,
    report_csv,
    report_pdf,
    report_pdf_html,
    report_xlsx,
    sheet_names,
    threshold_note,
    xlsx_response,
)
from skills.selectors.report_tables import SUPPRESSED, Cell, ReportTable

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"]
SCRIPT = "<script>alert(1)</script>"
# 30 June 2026, 23:30 UTC is already 1 July in the UK (BST).
SUMMER = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
WINTER = datetime(2026, 1, 15, 9, 5, tzinfo=UTC)
FILTERS = [("Unit", "Digital Service"), ("Skill", '=HYPERLINK("http://x","y")'), ("Grade", SCRIPT)]
TITLE = "Capability dashboard"


def hostile_table() -> ReportTable:
    """Row headings and cells as hostile as a unit's or a person's name can be, beside figures and gaps."""
    rows = [[Cell(text), Cell(7), Cell(suppressed=True)] for text in [*HOSTILE, SCRIPT]]
    rows.append([Cell("Change since last month"), Cell(-3), Cell(-1.5)])
    rows.append([Cell("Not assessed"), Cell(None), Cell(0)])
    return ReportTable(
        title="People by unit",
        columns=["Unit", "=People", "-Meeting"],
        rows=rows,
        notes=["Meeting: people at or above their role level's requirement."],
        name="people",
    )


def second_table() -> ReportTable:
    return ReportTable(title="Heatmap by skill", columns=["Unit", "Data modelling"], rows=[[Cell("Unit A"), Cell(80)]])


def heatmap(*, units: int, skills: int) -> ReportTable:
    """A unit × skill heatmap; the cells are shared rather than one object each, so that the test measures the
    writer's memory, not the table's."""
    pool = [Cell(value, share=value) for value in range(101)] + [Cell(suppressed=True)]
    return ReportTable(
        title="Share meeting the requirement, by unit and skill",
        columns=["Unit"] + [f"Skill {number}" for number in range(1, skills + 1)],
        rows=[
            [Cell(f"Unit {unit}")] + [pool[(unit * skill) % len(pool)] for skill in range(1, skills + 1)]
            for unit in range(1, units + 1)
        ],
        name="heatmap-skill",
    )


def xlsx_book(tables, *, filters_used=FILTERS, as_of=SUMMER) -> openpyxl.Workbook:
    output = io.BytesIO()
    report_xlsx(tables=tables, title=TITLE, filters_used=filters_used, as_of=as_of, file=output)
    return openpyxl.load_workbook(io.BytesIO(output.getvalue()))


def csv_rows(tables, *, filters_used=FILTERS, as_of=SUMMER) -> tuple[str, list[list[str]]]:
    output = io.StringIO(newline="")
    report_csv(tables=tables, title=TITLE, filters_used=filters_used, as_of=as_of, file=output)
    return output.getvalue(), list(csv.reader(io.StringIO(output.getvalue(), newline="")))


def pdf_text(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    return [page.get_textpage().get_text_range() for page in document]


def test_figures_are_dated_in_uk_time_with_the_zone():
    assert as_of_text(SUMMER) == "1 July 2026, 00:30 BST"
    assert as_of_text(WINTER) == "15 January 2026, 09:05 GMT"


def test_file_names_say_the_report_and_the_uk_date_of_its_figures():
    assert file_name(name="heatmap-skill", as_of=SUMMER, extension="xlsx") == "capability-heatmap-skill-2026-07-01.xlsx"
    assert file_name(name="../Dash board", as_of=WINTER, extension="csv") == "capability-dash-board-2026-01-15.csv"
    assert file_name(name="", as_of=WINTER, extension="pdf") == "capability-report-2026-01-15.pdf"


# XLSX


def test_no_xlsx_cell_is_a_formula_and_hostile_text_comes_back_as_text():
    book = xlsx_book([hostile_table()])

    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    values = {cell.value: cell for cell in cells}
    for text in HOSTILE:
        # Stored as a string cell, with the apostrophe the shared writer gives such text (decision 0116).
        assert values[formula_safe(text)].data_type == "s"
    assert values[SCRIPT].data_type == "s"
    assert not [
        cell.coordinate for cell in cells if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "@"))
    ]


def test_xlsx_figures_stay_numbers_negative_ones_included_and_suppressed_cells_read_c():
    sheet = xlsx_book([hostile_table()])["people"]
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[0] == ("People by unit", None, None)
    assert rows[1][:3] == ("Unit", "'=People", "'-Meeting")
    assert rows[2] == (formula_safe(HOSTILE[0]), 7, SUPPRESSED)
    assert ("Change since last month", -3, -1.5) in rows
    assert ("Not assessed", None, 0) in rows
    negative = next(row for row in sheet.iter_rows() if row[0].value == "Change since last month")
    assert [cell.data_type for cell in negative] == ["s", "n", "n"]
    assert [row[2] for row in rows[2:9]] == [SUPPRESSED] * 7
    assert rows[-1] == ("Meeting: people at or above their role level's requirement.", None, None)


def test_each_table_is_a_sheet_with_a_bold_frozen_heading_row():
    book = xlsx_book([hostile_table(), second_table()])

    assert book.sheetnames == [ABOUT_SHEET, "people", "report"]
    sheet = book["people"]
    assert sheet.freeze_panes == "B3"
    assert all(cell.font.bold for cell in sheet[2])
    assert not sheet["A3"].font.bold


def test_the_about_sheet_names_the_report_its_date_its_filters_and_why_cells_are_hidden():
    rows = list(xlsx_book([hostile_table(), second_table()])[ABOUT_SHEET].iter_rows(values_only=True))

    assert rows[0][0] == TITLE
    assert ("Figures as of", "1 July 2026, 00:30 BST") in rows
    assert ("Unit", "Digital Service") in rows
    assert ("Skill", formula_safe(FILTERS[1][1])) in rows
    assert ("Grade", SCRIPT) in rows
    assert ("people", "People by unit") in rows
    assert ("report", "Heatmap by skill") in rows
    assert (threshold_note(), None) in rows
    assert ("Meeting: people at or above their role level's requirement.", None) in rows


def test_an_unfiltered_report_says_so():
    rows = list(xlsx_book([second_table()], filters_used=[])[ABOUT_SHEET].iter_rows(values_only=True))

    assert ("Filters used", "None") in rows


@override_settings(CAPABILITY_SMALL_GROUP_THRESHOLD=10)
def test_the_threshold_note_gives_the_threshold_in_force():
    assert "fewer than 10 people" in threshold_note()


def test_sheet_names_keep_to_excel_s_rules_and_never_repeat():
    names = sheet_names(
        [
            ReportTable(title="", columns=[], rows=[], name=name)
            for name in ["a" * 40, "a" * 40, "a" * 40, "unit/skill [x]: *?", "History", "About this report", "'"]
        ]
    )

    assert names == [
        "a" * 31,
        "a" * 27 + " (2)",
        "a" * 27 + " (3)",
        "unit-skill -x-- --",
        "History (2)",
        "About this report (2)",
        "Table",
    ]
    assert all(len(name) <= 31 for name in names)
    book = openpyxl.Workbook()
    for name in names:
        assert book.create_sheet(name).title == name


def test_the_xlsx_download_is_an_attachment_named_for_the_report():
    response = xlsx_response(name="people", tables=[hostile_table()], title=TITLE, filters_used=FILTERS, as_of=SUMMER)

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="capability-people-2026-07-01.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == [ABOUT_SHEET, "people"]


# CSV


def test_the_csv_begins_with_what_the_report_is_and_the_filters_used():
    _, rows = csv_rows([hostile_table()])

    assert rows[:7] == [
        [TITLE],
        ["Figures as of", "1 July 2026, 00:30 BST"],
        ["Filters used"],
        ["Unit", "Digital Service"],
        ["Skill", "'" + FILTERS[1][1]],
        ["Grade", SCRIPT],
        [threshold_note()],
    ]
    assert csv_rows([hostile_table()], filters_used=[])[1][2] == ["Filters used", "None"]


def test_csv_text_that_a_spreadsheet_would_run_gets_a_leading_quote_and_figures_stay_numbers():
    text, rows = csv_rows([hostile_table()])

    table = rows[rows.index(["People by unit"]) :]
    assert table[1] == ["Unit", "'=People", "'-Meeting"]
    assert [row[0] for row in table[2:8]] == ["'" + hostile for hostile in HOSTILE]
    assert table[8] == [SCRIPT, "7", SUPPRESSED]
    assert ["Change since last month", "-3", "-1.5"] in table
    assert "Change since last month,-3,-1.5\r\n" in text
    assert ["Not assessed", "", "0"] in table
    assert table[-1] == ["Meeting: people at or above their role level's requirement."]
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@", "\t", "\r"))]
    assert [cell for cell in cells if cell.startswith("-")] == ["-3", "-1.5"]


def test_every_table_of_the_report_is_in_the_one_csv():
    _, rows = csv_rows([hostile_table(), second_table()])

    assert ["People by unit"] in rows
    assert rows[-3:] == [["Heatmap by skill"], ["Unit", "Data modelling"], ["Unit A", "80"]]


def test_the_csv_download_streams_utf_8_with_a_byte_order_mark_as_an_attachment():
    response = csv_response(name="people", tables=[hostile_table()], title=TITLE, filters_used=FILTERS, as_of=WINTER)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="capability-people-2026-01-15.csv"'
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbfCapability dashboard\r\n")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows == csv_rows([hostile_table()], as_of=WINTER)[1]


# PDF


@pytest.fixture
def opened(monkeypatch):
    """Every URL urllib opens on WeasyPrint's behalf."""
    urls = []
    real_open = urllib.request.OpenerDirector.open

    def spy(self, url, *args, **kwargs):
        urls.append(getattr(url, "full_url", url))
        return real_open(self, url, *args, **kwargs)

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", spy)
    return urls


def test_the_pdf_escapes_what_people_typed_and_prints_it_as_text():
    html = report_pdf_html(tables=[hostile_table()], title=SCRIPT, filters_used=FILTERS, as_of=SUMMER)

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = "\n".join(pdf_text(report_pdf(tables=[hostile_table()], title=SCRIPT, filters_used=FILTERS, as_of=SUMMER)))
    assert SCRIPT in text
    assert 'HYPERLINK("http://x","y")' in text
    assert "Figures as of 1 July 2026, 00:30 BST" in text
    assert "Digital Service" in text
    assert SUPPRESSED in text
    assert "-1.5" in text
    assert "fewer than 5 people" in text


def test_the_pdf_is_a4_landscape_with_its_charts_and_loads_nothing_from_outside(opened):
    chart = mark_safe(  # a chart as the trend charts draw one: the project's own SVG
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100" role="img">'
        "<title>Share meeting over 12 months</title>"
        '<rect x="0" y="0" width="200" height="100" fill="#1d70b8"/>'
        '<image href="http://127.0.0.1:9/beacon.png" width="10" height="10"/>'
        '<text x="210" y="50">Chart label</text></svg>'
    )
    rows = [[Cell('<img src="http://127.0.0.1:9/cell.png">'), Cell(1)]]
    table = ReportTable(title="T", columns=["Unit", "People"], rows=rows)

    pdf = report_pdf(tables=[table], title=TITLE, filters_used=[], as_of=SUMMER, charts=[chart])

    document = pypdfium2.PdfDocument(pdf)
    width, height = document[0].get_size()
    assert (round(width), round(height)) == (842, 595)
    text = "\n".join(pdf_text(pdf))
    assert "Chart label" in text
    assert '<img src="http://127.0.0.1:9/cell.png">' in text
    assert not [url for url in opened if not url.startswith("data:")]


def test_a_table_wider_than_a_page_is_printed_in_chunks_each_with_the_row_headings():
    table = heatmap(units=3, skills=300)

    printed = printed_tables(table)

    assert len(printed) == 25
    assert all(len(part.columns) == PDF_COLUMNS_PER_TABLE + 1 for part in printed)
    assert all(part.columns[0] == "Unit" for part in printed)
    assert [row[0].text for row in printed[-1].rows] == ["Unit 1", "Unit 2", "Unit 3"]
    assert printed[0].caption == f"{table.title} (columns 1 to 12 of 300)"
    assert printed[-1].caption == f"{table.title} (columns 289 to 300 of 300)"
    assert printed[-1].columns[-1] == "Skill 300"
    assert [part.notes for part in printed[:-1]] == [[]] * 24
    assert printed_tables(second_table())[0].caption == "Heatmap by skill"


def test_a_300_skill_heatmap_prints_every_skill_on_pages_that_fit():
    pages = pdf_text(report_pdf(tables=[heatmap(units=3, skills=300)], title=TITLE, filters_used=[], as_of=SUMMER))

    text = "\n".join(pages)
    assert len(pages) > 1
    assert "columns 289 to 300 of 300" in text
    assert all(f"Skill {number}" in text for number in (1, 12, 13, 150, 300))
    assert text.count("Unit 3") == 25
    assert "Page 1 of" in pages[0]


def test_the_pdf_download_is_an_attachment_named_for_the_report():
    response = pdf_response(name="dashboard", tables=[second_table()], title=TITLE, filters_used=[], as_of=WINTER)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="capability-dashboard-2026-01-15.pdf"'
    assert response.content.startswith(b"%PDF-")


# Scale


@pytest.mark.parametrize("units", [60, 2000])
def test_the_xlsx_of_a_department_s_whole_heatmap_is_written_in_bounded_memory(units):
    table = heatmap(units=units, skills=300)
    with tempfile.TemporaryFile() as file:
        started = time.perf_counter()
        report_xlsx(tables=[table], title=TITLE, filters_used=FILTERS, as_of=SUMMER, file=file)
        seconds = time.perf_counter() - started

    tracemalloc.start()
    try:
        with tempfile.TemporaryFile() as file:
            report_xlsx(tables=[table], title=TITLE, filters_used=FILTERS, as_of=SUMMER, file=file)
            size = file.tell()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    print(f"xlsx {units} units x 300 skills: {seconds:.2f} s, {size / 2**20:.1f} MiB file, peak {peak / 2**20:.1f} MiB")
    assert peak < 50 * 2**20

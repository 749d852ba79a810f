"""The SFIA 9 workbook (sheets Skills, Attributes, Levels of responsibility), or CSV exports of those sheets.

SFIA content is licensed by the SFIA Foundation: it is never committed to this repository. Tests build small
files in the same format with invented text.

Format, as the SFIA Foundation publishes it:
- Skills: a header row with `Levels` over seven flag columns (a defined level holds its own number, 1-7),
  then `Code, URL, Skill, Category, Subcategory, Overall description, Guidance notes, Level 1 description …
  Level 7 description`; other columns (such as `#`) are ignored.
- Attributes: the same, with `Attribute name` and `Type` in place of `Skill`, `Category` and `Subcategory`.
- Levels of responsibility: transposed, one row each for `Level` (1-7), `Guiding phrase`,
  `Essence of the level` and optionally `URL`, labels in the first column.
"""

import re

from django.utils.text import slugify

from frameworks.enums import QuirkKind
from frameworks.importers.files import SourceFile, read_csv_records
from frameworks.importers.report import Findings, ParsedRelease
from frameworks.importers.sfia_workbook import MAX_WORKBOOK_BYTES, Sheet, column_letter, workbook_sheets
from frameworks.release_content import (
    AttributeContent,
    CategoryContent,
    LevelContent,
    LevelTextContent,
    ReleaseContent,
    SkillContent,
    SubcategoryContent,
)

SFIA_LEVELS = tuple(range(1, 8))
LEVEL_FLAGS = "Levels"
LEVEL_DESCRIPTIONS = tuple(f"Level {number} description" for number in SFIA_LEVELS)
SKILL_COLUMNS = (
    "Code",
    "URL",
    "Skill",
    "Category",
    "Subcategory",
    "Overall description",
    "Guidance notes",
    *LEVEL_DESCRIPTIONS,
)
ATTRIBUTE_COLUMNS = (
    "Code",
    "URL",
    "Attribute name",
    "Type",
    "Overall description",
    "Guidance notes",
    *LEVEL_DESCRIPTIONS,
)
LEVEL_ROW_LABELS = ("Level", "Guiding phrase", "Essence of the level")
OPTIONAL_LEVEL_ROW_LABELS = ("URL",)
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
HEADER_SEARCH_ROWS = 10


def parse_sfia_workbook(workbook: SourceFile) -> ParsedRelease:
    """Read a SFIA 9 workbook (.xlsx) into release content; errors and quirks are in `findings`."""
    findings = Findings()
    sheets = workbook_sheets(workbook, findings)
    if sheets is None:
        return ParsedRelease(ReleaseContent(), findings, [workbook])
    return _parse(sheets["skills"], sheets["attributes"], sheets["levels"], findings, [workbook])


def parse_sfia_csv(*, skills: SourceFile, attributes: SourceFile, levels: SourceFile) -> ParsedRelease:
    """Read CSV exports of the workbook's three sheets into release content."""
    findings = Findings()
    sheets = {}
    for key, source in (("skills", skills), ("attributes", attributes), ("levels", levels)):
        records = read_csv_records(source, findings=findings)
        if records is not None:
            sheets[key] = Sheet(source.name, records)
    if len(sheets) < 3:
        return ParsedRelease(ReleaseContent(), findings, [skills, attributes, levels])
    return _parse(sheets["skills"], sheets["attributes"], sheets["levels"], findings, [skills, attributes, levels])


def _parse(skills: Sheet, attributes: Sheet, levels: Sheet, findings: Findings, sources) -> ParsedRelease:
    parser = _SfiaParser(findings)
    level_contents = parser.read_levels(levels)
    skill_contents = parser.read_skills(skills)
    attribute_contents = parser.read_attributes(attributes)
    content = ReleaseContent(
        levels=tuple(level_contents),
        categories=tuple(parser.categories.values()),
        subcategories=tuple(parser.subcategories.values()),
        skills=tuple(skill_contents),
        attributes=tuple(attribute_contents),
    )
    return ParsedRelease(content, findings, sources)


class _SfiaParser:
    def __init__(self, findings: Findings):
        self.findings = findings
        self.categories: dict[str, CategoryContent] = {}
        self.subcategories: dict[str, SubcategoryContent] = {}

    def read_levels(self, sheet: Sheet) -> list[LevelContent]:
        labelled = {}
        for number, row in enumerate(sheet.rows, start=1):
            if row and row[0].strip().casefold() in {label.casefold() for label in (*LEVEL_ROW_LABELS, "URL")}:
                labelled.setdefault(row[0].strip().casefold(), (number, row[1:]))
        missing = [label for label in LEVEL_ROW_LABELS if label.casefold() not in labelled]
        for label in missing:
            self.findings.error(
                sheet.label,
                None,
                label,
                f"the row labelled '{label}' is missing; the first column must label the rows "
                f"{', '.join(LEVEL_ROW_LABELS)} (and optionally URL).",
            )
        if missing:
            return []
        level_row_number, level_cells = labelled["level"]
        levels = []
        for index, cell in enumerate(level_cells):
            if not cell.strip():
                continue
            column = column_letter(index + 2)  # after the label column
            if not cell.strip().isdigit() or int(cell) not in SFIA_LEVELS:
                self.findings.error(
                    sheet.label, level_row_number, column, f"unknown level '{cell}'; SFIA levels are 1 to 7."
                )
                continue

            def value(label: str, index=index) -> str:
                cells = labelled.get(label.casefold(), (0, []))[1]
                return cells[index] if index < len(cells) else ""

            number = int(cell)
            levels.append(
                LevelContent(
                    rank=number,
                    code=str(number),
                    name=f"Level {number}",
                    guiding_phrase=value("Guiding phrase").strip(),
                    description=value("Essence of the level"),
                    url=value("URL").strip(),
                )
            )
        found = {level.rank for level in levels}
        if len(found) != len(levels):
            self.findings.error(sheet.label, level_row_number, None, "a level is listed twice; list 1 to 7 once each.")
        elif absent := [str(number) for number in SFIA_LEVELS if number not in found]:
            self.findings.error(
                sheet.label, level_row_number, None, f"levels {', '.join(absent)} are missing; list 1 to 7 once each."
            )
        return levels

    def read_skills(self, sheet: Sheet) -> list[SkillContent]:
        skills = []
        for number, cells in self._data_rows(sheet, SKILL_COLUMNS, name_column="Skill"):
            level_texts = self._level_texts(sheet, number, cells)
            category_name, subcategory_name = cells["Category"].strip(), cells["Subcategory"].strip()
            for column, value in (("Category", category_name), ("Subcategory", subcategory_name)):
                if not value:
                    self.findings.error(
                        sheet.label, number, column, f"skill '{cells['Code']}' has no {column.lower()}; fill it in."
                    )
            if level_texts is None or not category_name or not subcategory_name:
                continue
            category_code = slugify(category_name)
            self.categories.setdefault(
                category_code, CategoryContent(len(self.categories) + 1, category_code, category_name)
            )
            subcategory_code = slugify(subcategory_name)
            existing = self.subcategories.get(subcategory_code)
            if existing is None:
                self.subcategories[subcategory_code] = SubcategoryContent(
                    len(self.subcategories) + 1, subcategory_code, category_code, subcategory_name
                )
            elif existing.category_code != category_code:
                self.findings.error(
                    sheet.label,
                    number,
                    "Subcategory",
                    f"subcategory '{subcategory_name}' is also under category "
                    f"'{self.categories[existing.category_code].name}'; a subcategory belongs to one category.",
                )
                continue
            skills.append(
                SkillContent(
                    code=cells["Code"].strip(),
                    name=cells["Skill"],
                    description=cells["Overall description"],
                    guidance=cells["Guidance notes"],
                    url=cells["URL"].strip(),
                    category_code=category_code,
                    subcategory_code=subcategory_code,
                    level_texts=tuple(level_texts),
                )
            )
        return skills

    def read_attributes(self, sheet: Sheet) -> list[AttributeContent]:
        attributes = []
        for number, cells in self._data_rows(sheet, ATTRIBUTE_COLUMNS, name_column="Attribute name"):
            level_texts = self._level_texts(sheet, number, cells)
            if level_texts is None:
                continue
            attributes.append(
                AttributeContent(
                    position=len(attributes) + 1,
                    code=cells["Code"].strip(),
                    name=cells["Attribute name"],
                    attribute_type=cells["Type"],
                    description=cells["Overall description"],
                    guidance=cells["Guidance notes"],
                    url=cells["URL"].strip(),
                    level_texts=tuple(level_texts),
                )
            )
        return attributes

    def _data_rows(self, sheet: Sheet, columns: tuple[str, ...], *, name_column: str):
        """Yield (row number, {column: text, LEVEL_FLAGS n: text}) for each non-empty row under the header."""
        header_number = next(
            (
                number
                for number, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS], start=1)
                if "Code" in [cell.strip() for cell in row]
            ),
            None,
        )
        if header_number is None:
            self.findings.error(
                sheet.label,
                None,
                "Code",
                f"no header row with a 'Code' column in the first {HEADER_SEARCH_ROWS} rows; "
                f"the header must have: {LEVEL_FLAGS} (over seven columns), {', '.join(columns)}.",
            )
            return
        header = [cell.strip() for cell in sheet.rows[header_number - 1]]
        missing = [column for column in (LEVEL_FLAGS, *columns) if column not in header]
        for column in missing:
            self.findings.error(
                sheet.label,
                header_number,
                column,
                f"the column is missing. The header must have: {LEVEL_FLAGS} (over seven columns), "
                f"{', '.join(columns)}.",
            )
        if missing:
            return
        index = {column: header.index(column) for column in columns}
        flags_start = header.index(LEVEL_FLAGS)
        seen: dict[str, int] = {}
        seen_rows: dict[tuple, int] = {}
        for number, row in enumerate(sheet.rows[header_number:], start=header_number + 1):
            if not any(cell.strip() for cell in row):
                continue
            padded = row + [""] * (len(header) - len(row))
            cells = {column: padded[position] for column, position in index.items()}
            for level in SFIA_LEVELS:
                cells[f"{LEVEL_FLAGS} {level}"] = padded[flags_start + level - 1].strip()
            row_key = tuple(cells.values())
            if row_key in seen_rows:
                self.findings.quirk(
                    QuirkKind.DUPLICATE_ROW, sheet.label, number, None, f"duplicate of row {seen_rows[row_key]}"
                )
                continue
            seen_rows[row_key] = number
            code = cells["Code"].strip()
            if not CODE.fullmatch(code):
                self.findings.error(
                    sheet.label,
                    number,
                    "Code",
                    f"'{code}' is not a code; a code is letters and digits (for example PROG)."
                    if code
                    else "the code is empty; every row needs its code.",
                )
                continue
            if code in seen:
                self.findings.error(
                    sheet.label, number, "Code", f"code '{code}' is also on row {seen[code]}; each code once."
                )
                continue
            seen[code] = number
            if not cells[name_column].strip():
                self.findings.error(sheet.label, number, name_column, f"'{code}' has no name; fill it in.")
                continue
            yield number, cells

    def _level_texts(self, sheet: Sheet, number: int, cells: dict[str, str]) -> list[LevelTextContent] | None:
        texts, ok = [], True
        for level in SFIA_LEVELS:
            flag, text = cells[f"{LEVEL_FLAGS} {level}"], cells[f"Level {level} description"]
            flag_column = f"{LEVEL_FLAGS} (level {level})"
            if flag and flag != str(level):
                self.findings.error(
                    sheet.label,
                    number,
                    flag_column,
                    f"unknown skill level '{flag}'; the level {level} column holds {level} where the level is "
                    "defined, and nothing where it is not.",
                )
                ok = False
            elif flag and not text.strip():
                self.findings.error(
                    sheet.label,
                    number,
                    f"Level {level} description",
                    f"level {level} is marked as defined but has no description; add it or clear the level "
                    f"{level} flag.",
                )
                ok = False
            elif text.strip() and not flag:
                self.findings.error(
                    sheet.label,
                    number,
                    flag_column,
                    f"level {level} has a description but is not marked as defined; put {level} in the level "
                    f"{level} column or remove the description.",
                )
                ok = False
            texts.append(LevelTextContent(str(level), text, bool(flag)))
        return texts if ok else None


__all__ = ["MAX_WORKBOOK_BYTES", "parse_sfia_csv", "parse_sfia_workbook"]

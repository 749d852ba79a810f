"""Small files in the SFIA 9 workbook format, with invented text (SFIA content is licensed; never commit it)."""

import csv
import io

import openpyxl

SKILLS_HEADER = [
    "#",
    "Levels",
    *[""] * 6,
    "Code",
    "URL",
    "Skill",
    "Category",
    "Subcategory",
    "Overall description",
    "Guidance notes",
    *[f"Level {n} description" for n in range(1, 8)],
]
ATTRIBUTES_HEADER = [
    "Levels",
    *[""] * 6,
    "Code",
    "URL",
    "Attribute name",
    "Type",
    "Overall description",
    "Guidance notes",
    *[f"Level {n} description" for n in range(1, 8)],
]


def skill(number, code, name, category, subcategory, levels, *, texts=None):
    texts = texts or {}
    flags = [level if level in levels else None for level in range(1, 8)]
    descriptions = [
        texts.get(level, f"At {level}, {code} done well.") if level in levels else None for level in range(1, 8)
    ]
    return [
        number,
        *flags,
        code,
        f"https://example.test/skills/{code}",
        name,
        category,
        subcategory,
        f"{code} is an invented skill for tests.",
        f"Notes on {code}.\nActivities may include:\n\nthinking\ndoing",
        *descriptions,
    ]


SKILLS = [
    skill(1, "TSTA", "Assembling", "Making things", "Building", {2, 3, 4}),
    skill(2, "TSTB", "Inspecting", "Making things", "Checking", {5, 6, 7}),
    skill(3, "TSTC", "Tending", "Looking after things", "Caring", {3}),
]
ATTRIBUTES = [
    [
        *range(1, 8),
        "INDE",
        "https://example.test/a/INDE",
        "Independence",
        "Attributes",
        "How free you are.",
        "",
        *[f"Independence at {n}." for n in range(1, 8)],
    ],
    [
        *range(1, 8),
        "TALK",
        "https://example.test/a/TALK",
        "Talking",
        "Business skills",
        "How you talk.",
        "",
        *[f"Talking at {n}." for n in range(1, 8)],
    ],
]
LEVELS = [
    ["Level", *range(1, 8)],
    ["Guiding phrase", "Watch", "Help", "Do", "Enable", "Guarantee", "Shape", "Decide"],
    ["Essence of the level", *[f"Essence {n}." for n in range(1, 8)]],
    ["URL", *[f"https://example.test/levels/{n}" for n in range(1, 8)]],
]


def workbook_bytes(skills=None, attributes=None, levels=None, *, sheet_names=None, title_row=False) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    names = sheet_names or ["Skills", "Attributes", "Levels of responsibility"]
    tables = [
        [SKILLS_HEADER, *(SKILLS if skills is None else skills)],
        [ATTRIBUTES_HEADER, *(ATTRIBUTES if attributes is None else attributes)],
        LEVELS if levels is None else levels,
    ]
    for name, rows in zip(names, tables, strict=True):
        sheet = book.create_sheet(name)
        if title_row and name == "Skills":
            sheet.append(["SFIA 9 skills (invented for tests)"])
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(["" if cell is None else cell for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8")

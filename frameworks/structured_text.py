"""Published framework text as display blocks.

Framework files carry structure inside plain text: "You can:" followed by "- ..." lines is a list of
statements, not a blob. Models keep the text exactly as published (the exports must reproduce it) and store
these blocks beside it for display; see docs/decisions/0103-raw-text-beside-structure.md.
"""

import re
from typing import Literal, TypedDict

BULLET = re.compile(r"^\s*[-\u2022\u2013*]\s+(?P<item>.*\S)\s*$")


class ParagraphBlock(TypedDict):
    type: Literal["paragraph"]
    text: str


class ListBlock(TypedDict):
    type: Literal["list"]
    intro: str
    items: list[str]


Block = ParagraphBlock | ListBlock


def text_blocks(text: str) -> list[Block]:
    """Split `text` into paragraphs and lists of statements, keeping every word.

    A line that starts with "- " (or a bullet) is a list item; the non-empty line just before the first item,
    typically "You can:", becomes the list's intro. Every other non-empty line is a paragraph of its own.
    """
    blocks: list[Block] = []
    current_list: ListBlock | None = None
    previous_line_blank = True
    for line in text.splitlines():
        bullet = BULLET.match(line)
        if bullet:
            if current_list is None:
                # A paragraph separated from the list by an empty line is not the list's intro.
                intro = ""
                if blocks and blocks[-1]["type"] == "paragraph" and not previous_line_blank:
                    intro = blocks.pop()["text"]
                current_list = ListBlock(type="list", intro=intro, items=[])
                blocks.append(current_list)
            current_list["items"].append(bullet.group("item"))
        else:
            current_list = None
            if line.strip():
                blocks.append(ParagraphBlock(type="paragraph", text=line.strip()))
        previous_line_blank = not line.strip()
    return blocks


def blocks_intro(blocks: list[Block]) -> str:
    """The text before the first list (or all the text when there is no list), for one-line summaries."""
    parts = []
    for block in blocks:
        if block["type"] == "list":
            if block["intro"]:
                parts.append(block["intro"])
            break
        parts.append(block["text"])
    return "\n".join(parts)


def blocks_statements(blocks: list[Block]) -> list[str]:
    """Every list item, in order."""
    return [item for block in blocks if block["type"] == "list" for item in block["items"]]

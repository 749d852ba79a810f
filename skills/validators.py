"""Checks on text typed or imported into the skills app's reference data and people."""

import re

from django.core.exceptions import ValidationError

# Unicode's control characters (category Cc, line breaks and tabs included), the line and paragraph separators
# (Zl, Zp), lone surrogates (Cs) and the bidirectional embeddings, overrides and isolates, which are invisible
# and can make a name read backwards. One compiled class: the HR feed checks every cell of 100,000 rows.
_NOT_IN_A_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")


def control_character(value: str) -> str | None:
    """The first character of `value` that has no place in a name (see _NOT_IN_A_NAME), else None."""
    found = _NOT_IN_A_NAME.search(value)
    return found.group() if found else None


def control_character_message(char: str) -> str:
    if char in _LINE_BREAKS:
        what = "a line break"
    elif char == "\t":
        what = "a tab"
    else:
        what = f"an invisible control character (U+{ord(char):04X})"
    return f"This contains {what}: remove it. Names cannot hold line breaks, tabs or control characters."


def validate_no_control_characters(value: str) -> None:
    char = control_character(value)
    if char is not None:
        raise ValidationError(control_character_message(char), code="control_character")

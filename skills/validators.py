"""Checks on text typed or imported into the skills app's reference data and people."""

import unicodedata

from django.core.exceptions import ValidationError

# Bidirectional embeddings, overrides and isolates: invisible, and able to make a name read backwards.
_BIDI_CONTROLS = frozenset([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")


def control_character(value: str) -> str | None:
    """The first character of `value` that has no place in a name: a control character (line breaks and tabs
    included), a line or paragraph separator, a lone surrogate or a bidirectional override; else None."""
    for char in value:
        if unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") or ord(char) in _BIDI_CONTROLS:
            return char
    return None


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

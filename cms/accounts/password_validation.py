"""Password rules beyond Django's four (AUTH_PASSWORD_VALIDATORS): no long runs of one character, no
keyboard or alphabet sequences, and none of the words an attacker tries first against this service."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError

KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
# What people substitute for letters to make a word "complex"; undone before looking for words.
LOOKALIKES = str.maketrans(
    {"0": "o", "1": "i", "!": "i", "|": "i", "3": "e", "4": "a", "@": "a", "5": "s", "$": "s", "7": "t"}
)


class RepeatedCharactersValidator:
    """Refuses a run of more than `max_run` identical characters (`aaaa`) and passwords made of fewer
    than `min_distinct` different characters (`abababababab`)."""

    def __init__(self, max_run: int = 3, min_distinct: int = 5):
        self.max_run = max_run
        self.min_distinct = min_distinct

    def validate(self, password, user=None):
        lowered = password.lower()
        if re.search(rf"(.)\1{{{self.max_run},}}", lowered, flags=re.DOTALL):
            raise ValidationError(
                f"Your password must not have the same character more than {self.max_run} times in a row",
                code="password_repeated_characters",
            )
        if len(set(lowered)) < self.min_distinct:
            raise ValidationError(
                f"Your password must use at least {self.min_distinct} different characters",
                code="password_too_few_characters",
            )

    def get_help_text(self):
        return (
            f"Your password must not have the same character more than {self.max_run} times in a row, "
            f"and must use at least {self.min_distinct} different characters."
        )


class SequentialCharactersValidator:
    """Refuses `length` or more characters in alphabet, number or keyboard order, either way round
    (`abcd`, `4321`, `qwer`)."""

    def __init__(self, length: int = 4):
        self.length = length

    def _sequences(self):
        alphabet = "abcdefghijklmnopqrstuvwxyz"
        for row in (alphabet, *KEYBOARD_ROWS):
            for start in range(len(row) - self.length + 1):
                run = row[start : start + self.length]
                yield run
                yield run[::-1]

    def validate(self, password, user=None):
        lowered = password.lower()
        if any(sequence in lowered for sequence in self._sequences()):
            raise ValidationError(
                f"Your password must not have {self.length} or more characters in order, like ‘abcd’, ‘1234’ or ‘qwer’",
                code="password_sequential_characters",
            )

    def get_help_text(self):
        return f"Your password must not have {self.length} or more characters in order, like ‘abcd’ or ‘1234’."


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower().translate(LOOKALIKES))


class ForbiddenWordsValidator:
    """Refuses passwords containing the service's or the organisation's names (PASSWORD_FORBIDDEN_WORDS),
    also when spelt with digits or symbols for letters (`C@pab1lity`) or with spaces or dots between."""

    def validate(self, password, user=None):
        letters = _letters(password)
        for word in settings.PASSWORD_FORBIDDEN_WORDS:
            if _letters(word) and _letters(word) in letters:
                raise ValidationError(
                    "Your password must not contain the name of this service or of the organisation",
                    code="password_forbidden_word",
                )

    def get_help_text(self):
        return "Your password must not contain the name of this service or of the organisation."

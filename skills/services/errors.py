class SkillsError(Exception):
    """A request the skills services refuse; the message says what to do instead."""


class NotAllowed(SkillsError):
    """The acting user may not do this to this person or object (views answer 403/404)."""


class InvalidAssessment(SkillsError):
    """The judgement is not valid: wrong release, a level of another scale, a missing reason."""

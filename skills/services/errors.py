from skills.errors import SkillsError

__all__ = ["InvalidAssessment", "NotAllowed", "SkillsError"]


class NotAllowed(SkillsError):
    """The acting user may not do this to this person or object (views answer 403/404)."""


class InvalidAssessment(SkillsError):
    """The judgement is not valid: wrong release, a level of another scale, a missing reason."""

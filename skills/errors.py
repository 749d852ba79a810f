"""The skills app's base error, here rather than in `skills.services` so that importers, which sit below the
services, can raise errors of the same family (`skills.services.errors` re-exports it)."""


class SkillsError(Exception):
    """A request the skills services refuse; the message says what to do instead."""

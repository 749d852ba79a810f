from skills.errors import SkillsError


class CredentialsUnavailable(SkillsError):
    """Credentials cannot be signed: a signing key is missing or unreadable. The message says what to do; the
    download view shows it as a 503 page rather than failing with a trace."""


class DocumentRefused(SkillsError):
    """JSON-LD asked for a document that is not one of the bundled contexts: nothing is fetched at run time."""

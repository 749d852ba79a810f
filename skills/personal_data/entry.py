"""What one entry of the personal data register says, and the retention classes it sorts records into."""

from dataclasses import dataclass

from django.db import models


class Retention(models.TextChoices):
    """How long a kind of record is kept: issue 14's retention gives each class a period, or a rule of its own.

    - person record: who the person is and what they do here; kept while they work here, then for the leavers'
      period;
    - evidence: what the person can do and its proof (the ledger, reviews, certificates, certifications and their
      files), which stays verifiable for the evidence period;
    - derived: rebuilt from other records; it goes when they go, with no period of its own;
    - notification: the messages sent and the reminders recorded;
    - audit: who did what and when (the audit log, imports, who decided, moderation);
    - editorial: an editor's traces in the site's content (page owners, comments, uploads), kept with the content;
    - security log: sign-in attempts, failures and lock-outs;
    - session: sign-in sessions, which end with the session;
    - transient: working state a library keeps for a short while and clears itself;
    - export: a copy of a person's data made for them (a subject-access export), deleted with its file once its
      days are up (CAPABILITY_SUBJECT_ACCESS_EXPORT_DAYS).
    """

    PERSON_RECORD = "person_record", "Person record"
    EVIDENCE = "evidence", "Evidence"
    DERIVED = "derived", "Derived"
    NOTIFICATION = "notification", "Notification"
    AUDIT = "audit", "Audit"
    EDITORIAL = "editorial", "Editorial"
    SECURITY_LOG = "security_log", "Security log"
    SESSION = "session", "Session"
    TRANSIENT = "transient", "Transient"
    EXPORT = "export", "Export"


@dataclass(frozen=True, kw_only=True)
class PersonalDataModel:
    """A model whose rows hold personal data: ours or a library's, named ``"app_label.ModelName"`` so that the
    register imports no model and names no app above `skills` by import.

    How a row leads to a person, for an export to find everything about them and an erasure to know what to
    remove and what only to anonymise:

    - `about`: lookups (``person``, ``holder``, ``plan__person``, ``user``) from a row to the person
      (`skills.Person`) or the account (the user model) the row is about, whose data it is; ``""`` when the row
      is the person or the account itself;
    - `names`: further fields that name a person or an account: who did, decided, reviewed, created or uploaded
      something. The row is not theirs; the reference is;
    - `generic`: the ``(content type field, object id field)`` through which a row names any object (a log entry,
      a revision): personal when that object is a registered model's row;
    - `matched_by`: how to find a person's rows where no field leads to them (a typed e-mail address, a session's
      encoded data).

    `fields` lists every field that holds personal data, the links in `about` and `names` among them.
    `kept_on_erasure` names those of `fields` that say what, not who (a course's title, an award), which erasure
    keeps so that figures by course or award stay as they were once the row's person is anonymous
    (docs/decisions/0217); erasure decides the rest by their type.
    """

    model: str
    fields: tuple[str, ...]
    about: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    generic: tuple[str, str] | None = None
    matched_by: str = ""
    kept_on_erasure: tuple[str, ...] = ()
    purpose: str
    seen_by: str
    retention: Retention


@dataclass(frozen=True, kw_only=True)
class PersonalDataStore:
    """Personal data kept outside the tables of a registered model's rows: files drawn from a record (a
    certificate's PDF), a cache holding copies, the task results' backend. `name` is a short slug, unique in the
    register; `location` says where the data lives (a storage and its path, a setting); `found_by`, how to find
    one person's part of it."""

    name: str
    location: str
    holds: str
    found_by: str
    purpose: str
    seen_by: str
    retention: Retention


@dataclass(frozen=True, kw_only=True)
class NoPersonalData:
    """A library's model that looks as though it could hold personal data (it can name any object, or collects
    what a form asks) and was found to hold none, and why. Our own models say so in their docstrings instead
    ("Holds no personal data")."""

    model: str
    reason: str

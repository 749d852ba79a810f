"""The one path by which the append-only ledger changes: erasure blanks the free text of one person's rows
(`evidence`, `reason`) and nothing else, no row deleted. The guard (skills migrations 0002, 0028, 0033) lets exactly
this through and refuses every other update or delete; see docs/decisions/0217-leavers-erasure-retention.md.

PostgreSQL: `skills_ledger_erase(person_id)`, a SECURITY DEFINER function owned by the tables' owner, so the
application role (which has no UPDATE on the ledger, decision 0008) can call it and nothing more. SQLite: a permit
row in `skills_ledger_erasure` for the person, held only inside the erasing transaction (SQLite serialises writers,
so nobody else sees it)."""

from django.db import connection

# The ledger's columns that erasure blanks: the only ones the guard lets change.
LEDGER_ERASED_FIELDS = frozenset({"evidence", "reason"})


def ledger_erase(*, person_id: int) -> int:
    """Blank the evidence and reasons of this person's ledger rows; returns how many rows changed. Call inside the
    erasure's transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT skills_ledger_erase(%s)", [person_id])
            return cursor.fetchone()[0]
        cursor.execute("INSERT INTO skills_ledger_erasure (person_id) VALUES (%s)", [person_id])
        try:
            cursor.execute(
                "UPDATE skills_assessment SET evidence = '', reason = '' "
                "WHERE person_id = %s AND (evidence <> '' OR reason <> '')",
                [person_id],
            )
            return cursor.rowcount
        finally:
            cursor.execute("DELETE FROM skills_ledger_erasure WHERE person_id = %s", [person_id])

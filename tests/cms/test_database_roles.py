"""Finding 20 of issue 7: the ledger's trigger could be bypassed by `SET LOCAL` or `DISABLE TRIGGER`.

The trigger guards against mistakes; docs/decisions/0008 gives the database roles that guard against a
hostile database user. These tests set up an application role as that decision says and try each bypass
as that role, on PostgreSQL.
"""

import re
import uuid
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

DECISION = Path(__file__).resolve().parents[2] / "docs" / "decisions" / "0008-database-roles-and-the-ledger-trigger.md"


def _execute(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.fixture
def application_role():
    """The application's role, granted what decision 0008 grants it (the tables here are owned by the test's
    superuser, which stands for the owner role). Created inside the test's transaction, so it is rolled back."""
    role = f"capability_app_{uuid.uuid4().hex[:8]}"
    _execute(f"CREATE ROLE {role} NOSUPERUSER NOCREATEDB NOCREATEROLE")
    _execute(f"GRANT USAGE ON SCHEMA public TO {role}")
    _execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
    _execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
    revoke = re.search(
        r"^REVOKE UPDATE, DELETE, TRUNCATE ON skills_assessment FROM capability_app;$", DECISION.read_text(), re.M
    )
    assert revoke, "decision 0008 no longer gives the REVOKE this test applies"
    _execute(revoke.group(0).replace("capability_app", role))
    _execute(f"SET ROLE {role}")
    yield role
    _execute("RESET ROLE")


@pytest.mark.parametrize(
    "bypass",
    [
        "ALTER TABLE skills_assessment DISABLE TRIGGER ALL",
        "DROP TRIGGER skills_assessment_append_only ON skills_assessment",
        "SET LOCAL capability.ledger_erasure = 'on'; DELETE FROM skills_assessment",
        "SET LOCAL capability.ledger_erasure = 'on'; UPDATE skills_assessment SET evidence = 'rewritten'",
        "SET session_replication_role = replica",
        "TRUNCATE skills_assessment",
    ],
)
def test_the_application_role_cannot_bypass_the_ledger_trigger(application_role, bypass):
    with pytest.raises(DatabaseError, match="permission denied|must be owner"), transaction.atomic():
        _execute(bypass)

    with connection.cursor() as cursor:
        cursor.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = 'skills_assessment_append_only'")
        assert cursor.fetchone() == ("O",)


def test_the_application_role_can_still_read_and_append_to_the_ledger(application_role):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT has_table_privilege('skills_assessment', 'SELECT'), "
            "has_table_privilege('skills_assessment', 'INSERT'), "
            "has_table_privilege('skills_assessment', 'DELETE'), "
            "has_table_privilege('skills_person', 'UPDATE')"
        )
        assert cursor.fetchone() == (True, True, False, True)
        cursor.execute("SELECT count(*) FROM skills_assessment")


def test_the_application_role_erases_ledger_evidence_through_the_one_path_and_nothing_more(request):
    """Erasure's path (docs/decisions/0217): the function blanks one person's evidence and reasons, though the
    application role has no UPDATE on the ledger; a direct update is still refused."""
    from tests.skills.factories import AssessmentFactory  # noqa: PLC0415 — skills data for a cms test

    claim = AssessmentFactory(evidence="Led the migration", reason="")
    request.getfixturevalue("application_role")
    with connection.cursor() as cursor:
        cursor.execute("SELECT skills_ledger_erase(%s)", [claim.person_id])
        assert cursor.fetchone() == (1,)
        cursor.execute("SELECT evidence, reason, person_id FROM skills_assessment WHERE id = %s", [claim.pk])
        assert cursor.fetchone() == ("", "", claim.person_id)
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        _execute(f"UPDATE skills_assessment SET evidence = 'x' WHERE id = {claim.pk}")  # noqa: S608


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE skills_assessment SET is_claim = NOT is_claim",
        "UPDATE skills_assessment SET evidence = 'rewritten'",
        "DELETE FROM skills_assessment",
    ],
)
def test_the_erasure_setting_lets_through_nothing_but_blanking_evidence(change):
    """Even the tables' owner, with the erasure setting on, can only blank evidence and reasons: no row is deleted
    and no other column changes (docs/decisions/0217)."""
    from tests.skills.factories import AssessmentFactory  # noqa: PLC0415 — skills data for a cms test

    AssessmentFactory(evidence="Led the migration")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _execute(f"SET LOCAL capability.ledger_erasure = 'on'; {change}")

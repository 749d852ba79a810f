"""Every database guard the migrations create is still there after all of them: SQLite drops a table's triggers
when Django rebuilds it (any constraint or field change), so a later migration can silently remove one."""

import pytest
from django.db import connection

FROZEN_TABLES = [
    "frameworks_level",
    "frameworks_category",
    "frameworks_subcategory",
    "frameworks_skill",
    "frameworks_skillleveldescriptor",
    "frameworks_genericattribute",
    "frameworks_genericattributelevel",
    "frameworks_rolefamily",
    "frameworks_role",
    "frameworks_rolelevel",
    "frameworks_requirement",
    "frameworks_releasechange",
    "frameworks_skillmapping",
]


def _triggers() -> set[tuple[str, str]]:
    """(table, trigger) for every trigger in the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal"
            )
        return set(cursor.fetchall())


@pytest.mark.django_db
def test_every_frozen_release_table_and_the_ledger_keep_their_guards():
    triggers = _triggers()
    if connection.vendor == "sqlite":
        expected = {(t, f"{t}_frozen_{op}") for t in FROZEN_TABLES for op in ("insert", "update")}
        expected.add(("skills_assessment", "skills_assessment_no_update"))
    else:
        expected = {(t, f"{t}_frozen") for t in FROZEN_TABLES}
        expected.add(("skills_assessment", "skills_assessment_append_only"))
    assert sorted(expected - triggers) == []

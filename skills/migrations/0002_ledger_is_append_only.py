"""The assessment ledger is append-only: the database refuses to update or delete its rows, whatever code
tries (docs/decisions/0010-append-only-ledger.md). SQLite and PostgreSQL; others rely on the services.

Deleting a whole person (personal-data erasure) goes through a service that lifts the guard for its own
transaction on PostgreSQL (`SET LOCAL capability.ledger_erasure = 'on'`); on SQLite tests flush tables
with the guard dropped by Django's test teardown (TRUNCATE is not a DELETE trigger on PostgreSQL).
"""

from django.db import migrations

MESSAGE = "skills: the assessment ledger is append-only; record a new assessment instead"

POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION skills_refuse_ledger_change() RETURNS trigger AS $$
BEGIN
    IF current_setting('capability.ledger_erasure', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER skills_assessment_append_only BEFORE UPDATE OR DELETE ON skills_assessment
    FOR EACH ROW EXECUTE FUNCTION skills_refuse_ledger_change();
"""


def create_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER skills_assessment_no_update BEFORE UPDATE ON skills_assessment "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
        )


def drop_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS skills_assessment_append_only ON skills_assessment;")
        schema_editor.execute("DROP FUNCTION IF EXISTS skills_refuse_ledger_change();")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS skills_assessment_no_update;")


class Migration(migrations.Migration):
    dependencies = [("skills", "0001_initial")]

    operations = [migrations.RunPython(create_guard, drop_guard)]

"""The ledger's one erasure path (issue 14, docs/decisions/0217): the guard of 0002/0028 now lets through an update
that blanks a person's `evidence` and `reason` and changes nothing else, when erasure asks for it; it refuses every
other update, and every delete, as before (no ledger row is ever deleted, not even by erasure).

PostgreSQL: the trigger function checks the request (`capability.ledger_erasure`, set only by
`skills_ledger_erase`, a SECURITY DEFINER function the application role may call though it has no UPDATE on the
table, decision 0008). SQLite: the trigger is made again with a WHEN clause naming the permit table
`skills_ledger_erasure` and every other column, read from the table as it is now.
"""

from importlib import import_module

from django.db import migrations

GUARD = import_module("skills.migrations.0002_ledger_is_append_only")

POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION skills_refuse_ledger_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND current_setting('capability.ledger_erasure', true) = 'on'
            AND NEW.evidence = '' AND NEW.reason = ''
            AND (to_jsonb(NEW) - 'evidence' - 'reason') = (to_jsonb(OLD) - 'evidence' - 'reason') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{GUARD.MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION skills_ledger_erase(erased_person bigint) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    changed integer;
BEGIN
    PERFORM set_config('capability.ledger_erasure', 'on', true);
    UPDATE skills_assessment SET evidence = '', reason = ''
        WHERE person_id = erased_person AND (evidence <> '' OR reason <> '');
    GET DIAGNOSTICS changed = ROW_COUNT;
    PERFORM set_config('capability.ledger_erasure', 'off', true);
    RETURN changed;
END;
$$;
"""

POSTGRESQL_BACK = GUARD.POSTGRESQL.split("CREATE TRIGGER")[0] + "DROP FUNCTION IF EXISTS skills_ledger_erase(bigint);"


def _sqlite_guard(schema_editor, *, permit: bool) -> None:
    schema_editor.execute("DROP TRIGGER IF EXISTS skills_assessment_no_update;")
    if not permit:
        schema_editor.execute(
            "CREATE TRIGGER skills_assessment_no_update BEFORE UPDATE ON skills_assessment "
            f"BEGIN SELECT RAISE(ABORT, '{GUARD.MESSAGE}'); END;"
        )
        schema_editor.execute("DROP TABLE IF EXISTS skills_ledger_erasure;")
        return
    schema_editor.execute("CREATE TABLE IF NOT EXISTS skills_ledger_erasure (person_id integer PRIMARY KEY);")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("PRAGMA table_info(skills_assessment)")
        columns = [row[1] for row in cursor.fetchall() if row[1] not in ("evidence", "reason")]
    unchanged = " AND ".join(f'NEW."{column}" IS OLD."{column}"' for column in columns)
    schema_editor.execute(
        "CREATE TRIGGER skills_assessment_no_update BEFORE UPDATE ON skills_assessment "
        "WHEN NOT (EXISTS (SELECT 1 FROM skills_ledger_erasure WHERE person_id = OLD.person_id) "
        f"AND NEW.evidence = '' AND NEW.reason = '' AND {unchanged}) "
        f"BEGIN SELECT RAISE(ABORT, '{GUARD.MESSAGE}'); END;"
    )


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
    elif vendor == "sqlite":
        _sqlite_guard(schema_editor, permit=True)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_BACK)
    elif vendor == "sqlite":
        _sqlite_guard(schema_editor, permit=False)


class Migration(migrations.Migration):
    dependencies = [("skills", "0032_person_leavers")]

    operations = [migrations.RunPython(forwards, backwards)]

"""Put back the ledger's append-only guard on SQLite, which a table rebuild removed.

SQLite cannot alter a table's constraints in place: Django rebuilds the table and the old table's triggers go with
it. 0019 (course evidence) rebuilt `skills_assessment`, so on SQLite (the embedded default) the ledger's rows could
be updated again. `CREATE TRIGGER IF NOT EXISTS` restores exactly what 0002 made and changes nothing where it is in
place; PostgreSQL alters tables in place and kept its trigger. `tests/frameworks/test_database_guards_present.py`
fails if a later migration loses it again.
"""

from importlib import import_module

from django.db import migrations

GUARD = import_module("skills.migrations.0002_ledger_is_append_only")


def restore(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        "CREATE TRIGGER IF NOT EXISTS skills_assessment_no_update BEFORE UPDATE ON skills_assessment "
        f"BEGIN SELECT RAISE(ABORT, '{GUARD.MESSAGE}'); END;"
    )


class Migration(migrations.Migration):
    dependencies = [("skills", "0027_external_certifications")]

    operations = [migrations.RunPython(restore, migrations.RunPython.noop)]

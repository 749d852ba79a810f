"""Put back the frozen-release guard on SQLite where a table rebuild removed it.

SQLite cannot alter a constraint in place: Django rebuilds the table (create a copy, move the rows, drop the old
one), and the old table's triggers go with it. 0007 rebuilt `frameworks_skillleveldescriptor` and
`frameworks_genericattributelevel`, so on SQLite (the embedded default) their rows of a published release could be
rewritten. `CREATE TRIGGER IF NOT EXISTS` restores exactly what 0002 made, on every content table, and changes
nothing where the guard is in place. PostgreSQL alters tables in place and kept its triggers.
`tests/frameworks/test_frozen_guard_present.py` fails if a later migration loses one again.
"""

from importlib import import_module

from django.db import migrations

GUARD = import_module("frameworks.migrations.0002_frozen_release_guard")


def restore(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in GUARD.CONTENT_TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER IF NOT EXISTS {table}_frozen_insert BEFORE INSERT ON {table} "
            f"WHEN {GUARD.FROZEN.format(row='NEW')} BEGIN SELECT RAISE(ABORT, '{GUARD.MESSAGE}'); END;"
        )
        schema_editor.execute(
            f"CREATE TRIGGER IF NOT EXISTS {table}_frozen_update BEFORE UPDATE ON {table} "
            f"WHEN {GUARD.FROZEN.format(row='OLD')} OR {GUARD.FROZEN.format(row='NEW')} "
            f"BEGIN SELECT RAISE(ABORT, '{GUARD.MESSAGE}'); END;"
        )


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0007_level_text_base")]

    operations = [migrations.RunPython(restore, migrations.RunPython.noop)]

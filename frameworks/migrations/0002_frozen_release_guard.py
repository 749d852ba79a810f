"""A database guard for frozen releases: no row of a published or superseded release's content can be inserted
or updated, whatever code tries (docs/decisions/0104-frozen-releases.md). Deletes are left to the services
and to PROTECT/RESTRICT foreign keys, so that test databases can still be flushed.

SQLite and PostgreSQL only; other databases rely on the services alone.
"""

from django.db import migrations

CONTENT_TABLES = [
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
MESSAGE = "frameworks: this release is published and frozen; edit a new draft release instead"
FROZEN = "(SELECT status FROM frameworks_frameworkrelease WHERE id = {row}.release_id) <> 'draft'"

POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION frameworks_refuse_frozen_release_write() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM frameworks_frameworkrelease WHERE id = NEW.release_id AND status <> 'draft')
       OR (TG_OP = 'UPDATE' AND EXISTS (
           SELECT 1 FROM frameworks_frameworkrelease WHERE id = OLD.release_id AND status <> 'draft'))
    THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def create_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in CONTENT_TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_frozen_insert BEFORE INSERT ON {table} "
                f"WHEN {FROZEN.format(row='NEW')} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_frozen_update BEFORE UPDATE ON {table} "
                f"WHEN {FROZEN.format(row='OLD')} OR {FROZEN.format(row='NEW')} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
            )
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FUNCTION)
        for table in CONTENT_TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_frozen BEFORE INSERT OR UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION frameworks_refuse_frozen_release_write();"
            )


def drop_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in CONTENT_TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen_insert;")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen_update;")
    elif vendor == "postgresql":
        for table in CONTENT_TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table};")
        schema_editor.execute("DROP FUNCTION IF EXISTS frameworks_refuse_frozen_release_write();")


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0001_initial")]

    operations = [migrations.RunPython(create_guard, drop_guard)]

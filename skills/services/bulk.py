"""The bulk SQL of the HR feed: rows inserted and updated in plain statements, by column name, with no model
instance each; and the lock every change to line management takes. Raw SQL lives here and nowhere else in the
app (docs/decisions/0204-hr-feed-copy.md).

On PostgreSQL, inserts go through `COPY ... FROM STDIN` (psycopg 3's `cursor.copy()`), with ids drawn from the
table's own sequence beforehand so that the caller knows them without reading them back; updates are copied into
a temporary table and applied by one `UPDATE ... FROM`. Elsewhere (SQLite, the embedded default) both are one
parameterised statement run by `executemany`, which SQLite runs in-process at the same speed.

Nothing listens to the save signals of the models written here; whatever must happen on a write has to be called
by the caller. Values must already be in database form (see `Field.get_db_prep_save`).
"""

from collections.abc import Callable, Sequence

from django.db import connection
from django.db.models.fields import AutoFieldMixin

from skills.importers.reading import BATCH_SIZE, chunks

__all__ = ["BATCH_SIZE", "chunks", "ids_reserve", "management_chain_lock", "rows_insert", "rows_update"]

# Serialises changes to management chains on PostgreSQL (SQLite serialises every writer anyway).
MANAGEMENT_CHAIN_LOCK = 0x5E01E


def management_chain_lock() -> None:
    """Take the transaction-level lock that every change to line management holds, so that two changes made
    at once cannot close a loop that neither sees. A no-op on SQLite, whose writers are serialised anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [MANAGEMENT_CHAIN_LOCK])


def rows_insert(model, columns: Sequence[str], rows: Sequence[tuple], *, returning_ids: bool = False) -> list[int]:
    """INSERT `rows` (values for the `columns`, by attribute name); every other column gets its field's default
    (or NULL), and a non-null field without a default raises ValueError. With `returning_ids`, returns the new
    rows' ids in the order of `rows` (else an empty list)."""
    if not rows:
        return []
    given, others, defaults = _insert_columns(model, columns)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    if connection.vendor == "postgresql":
        ids = ids_reserve(model, len(rows)) if returning_ids else []
        names = [field.column for field in (*given, *others)]
        if returning_ids:
            names.insert(0, model._meta.pk.column)
            rows = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
        sql = f"COPY {table} ({', '.join(map(quote, names))}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row((*row, *defaults()))
        return ids
    names = ", ".join(quote(field.column) for field in (*given, *others))
    placeholders = ", ".join(["%s"] * (len(given) + len(others)))
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        for chunk in chunks(rows):
            cursor.executemany(sql, [(*row, *defaults()) for row in chunk])
        if not returning_ids:
            return []
        # SQLite lets one connection write at a time, from its first write to its commit, and its AUTOINCREMENT
        # ids only grow: the rows just inserted are the table's last len(rows), in the order given.
        pk = quote(model._meta.pk.column)
        cursor.execute(f"SELECT {pk} FROM {table} ORDER BY {pk} DESC LIMIT %s", [len(rows)])  # noqa: S608
        return [pk for (pk,) in reversed(cursor.fetchall())]


def rows_update(model, columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """UPDATE the `columns` (by attribute name) of the rows whose primary key ends each tuple of `rows`."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = [field.column for field in _fields_by_attname(model, columns)]
    pk = model._meta.pk.column
    if connection.vendor == "postgresql":
        staging = quote(f"bulk_update_{model._meta.db_table}")
        listed = ", ".join(map(quote, [*names, pk]))
        assignments = ", ".join(f"{quote(name)} = {staging}.{quote(name)}" for name in names)
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS SELECT {listed} FROM {table} WITH NO DATA"  # noqa: S608
            )
            with cursor.copy(f"COPY {staging} ({listed}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM {staging} WHERE {table}.{quote(pk)} = {staging}.{quote(pk)}"  # noqa: S608
            )
            cursor.execute(f"DROP TABLE {staging}")
        return
    assignments = ", ".join(f"{quote(name)} = %s" for name in names)
    sql = f"UPDATE {table} SET {assignments} WHERE {quote(pk)} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for chunk in chunks(rows):
            cursor.executemany(sql, chunk)


def ids_reserve(model, count: int) -> list[int] | None:
    """`count` new ids from the table's sequence, taken now and never handed out again, for rows that will be
    inserted with them (so that rows inserted earlier can already point to them); None where the database has
    no sequence to take them from (SQLite)."""
    if connection.vendor != "postgresql":
        return None
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _fields_by_attname(model, columns: Sequence[str]) -> list:
    fields = {field.attname: field for field in model._meta.concrete_fields}
    return [fields[column] for column in columns]


def _insert_columns(model, columns: Sequence[str]) -> tuple[list, list, Callable[[], tuple]]:
    """The fields given, the other fields (but an auto primary key), and a function that gives the other fields'
    defaults for one row in database form. A callable default (a random UUID such as
    `Person.credential_subject_id`) is called for each row, as creating each object would: one value for the
    whole batch would break a unique column."""
    given = _fields_by_attname(model, columns)
    others, fixed = [], []
    for other in model._meta.concrete_fields:
        if other in given or (other.primary_key and isinstance(other, AutoFieldMixin)):
            continue
        if other.has_default():
            value = other.get_default()
        elif other.null:
            value = None
        else:
            raise ValueError(f"{model.__name__}.{other.name} has no default: give it a value.")
        others.append(other)
        fixed.append(other.get_db_prep_save(value, connection))
    per_row = [index for index, other in enumerate(others) if other.has_default() and callable(other.default)]

    def defaults() -> tuple:
        if not per_row:
            return tuple(fixed)
        values = list(fixed)
        for index in per_row:
            values[index] = others[index].get_db_prep_save(others[index].get_default(), connection)
        return tuple(values)

    return given, others, defaults

"""Reads whose SQL the ORM compiles once per process: the hot reads of every signed-in request (decision 0025).

Building and compiling a queryset (its joins, annotations and `Exists` subqueries) costs the ORM several times
what PostgreSQL takes to run it: the signed-in person with their role levels' releases took 1.1 ms of CPU to build
and compile and 0.2 ms to run. A `PreparedRead` builds its queryset once, with a placeholder for each value that
changes from call to call, and keeps the compiled SQL; each call runs that SQL with the call's values and hands the
rows to the ORM's own iterables (model instances with `select_related` objects and annotations, or `values_list`
tuples), exactly as the queryset would have.

What a read may take as a value: an id (`int`, the default), a day (`date`) or a moment (`datetime`, aware), each
compared as given (equal, before, after): never transformed by a lookup such as `__contains`, nor computed from in
the builder. The builder declares each as a keyword-only argument annotated with its type. The placeholders are
values no row holds; the compilation fails, saying so, if a placeholder does not reach the SQL's parameters as the
database takes it, or if the read built again with other placeholders differs anywhere but there (a value computed
from, or a statement whose shape follows a value). Anything else the queryset holds (a constant, an enum) is
compiled in, so a value that changes between calls (the time, a list) must be one of the read's values, never
written into the builder. A constant that is a boolean, an integer or plain text is written into the SQL's text
rather than sent as a parameter, so that PostgreSQL plans the prepared statement knowing it (decision 0225). An id
outside the database's integer range matches no row, as the ORM has it.

It lives in `frameworks`, the bottom layer, so that every app can use it, as `process_cache` does.
"""

import re
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from django.db import connections
from django.db.models import QuerySet

# Values no row holds, the n-th of a read's values: negative ids far from any an application writes, days and
# moments in the 16th century.
_KINDS = {
    int: lambda n: -7_340_000_000 - n,
    date: lambda n: date(1500, 1, 1) + timedelta(days=n),
    datetime: lambda n: datetime(1500, 1, 1, tzinfo=UTC) + timedelta(seconds=n),
}
_KIND_NAMES = {kind.__name__: kind for kind in _KINDS}
# The ids a database column can hold (a big integer on both databases).
_INT_RANGE = (-(2**63), 2**63 - 1)


# A constant's text that may stand in the SQL as a quoted literal: no quote, backslash or percent sign.
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9_.:/ -]*")
_PLACEHOLDER_OR_PERCENT = re.compile(r"%[s%]")


def _literal(constant) -> str | None:
    """The SQL literal for a constant of the read (a boolean, an integer, plain text such as an enum's value), or
    None to leave it a parameter (anything else: a moment, a decimal, text with a quote)."""
    if isinstance(constant, bool):
        return "TRUE" if constant else "FALSE"
    if isinstance(constant, int):
        return str(int(constant)) if constant >= 0 else f"({int(constant)})"
    if isinstance(constant, str):
        text = str.__str__(constant)  # an enum's value, not its name
        return f"'{text}'" if _PLAIN_TEXT.fullmatch(text) else None
    return None


def _constants_written_in(sql: str, params: list, values: set[int]) -> tuple[str, list, list[int]]:
    """The SQL with the read's constants written into its text, the parameters left and, for each parameter
    left, its position in `params`. PostgreSQL plans a prepared statement once for all calls (a generic plan)
    only when it costs no more than the plans it makes for each call's parameters; a constant sent as a
    parameter (a status, a flag) is planned for as an unknown value, which can price the generic plan out and
    have the statement planned again on every call (decision 0225)."""
    pieces, left, kept, start, n = [], [], [], 0, 0
    for match in _PLACEHOLDER_OR_PERCENT.finditer(sql):
        if match.group() == "%%":
            continue
        literal = None if n in values else _literal(params[n])
        pieces.append(sql[start : match.start()])
        if literal is None:
            pieces.append("%s")
            left.append(params[n])
            kept.append(n)
        else:
            pieces.append(literal)
        start, n = match.end(), n + 1
    if n != len(params):
        raise ValueError(f"the SQL has {n} placeholders for {len(params)} parameters")
    pieces.append(sql[start:])
    return "".join(pieces), left, kept


def _adapter(kind, connection):
    """How the database takes a value of `kind` as a parameter (SQLite takes days and moments as text)."""
    if kind is datetime:
        return connection.ops.adapt_datetimefield_value
    if kind is date:
        return connection.ops.adapt_datefield_value
    return None


class _Compiled:
    __slots__ = ("compiler", "sql", "params", "positions", "adapters", "converters")

    def __init__(self, compiler, sql: str, params: tuple, positions: dict[str, list[int]], adapters: dict):
        self.compiler = compiler
        self.sql = sql
        self.params = params
        self.positions = positions
        self.adapters = adapters
        # The converters of the selected columns (from_db_value and the backend's own), found once: the ORM looks
        # them up on every read, field by field, which cost more than the rest of a wide read's row handling.
        # Keyed by the identities of the expressions asked about, which are the compiled query's own.
        self.converters: dict[tuple[int, ...], dict] = {}


class _BoundQuery:
    """The queryset's query for one call: hands the iterable a compiler that runs the compiled SQL with the call's
    parameters; everything else the iterable reads of the query (its selected names) is the query's own."""

    __slots__ = ("_query", "_compiled", "_params")

    def __init__(self, query, compiled: _Compiled, params: list):
        self._query = query
        self._compiled = compiled
        self._params = params

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = _shallow_copy(self._compiled.compiler)
        compiler.connection = connection or connections[using]
        sql, params = self._compiled.sql, tuple(self._params)
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        # The shared compiler's own lookup, not the copy's: a closure holding the copy's bound method, stored on the
        # copy, would be a reference cycle on every read, left for the cycle collector.
        known, find = self._compiled.converters, self._compiled.compiler.get_converters

        def get_converters(expressions):
            key = tuple(map(id, expressions))
            converters = known.get(key)
            if converters is None:
                converters = known[key] = find(expressions)
            return converters

        compiler.get_converters = get_converters
        return compiler

    def __getattr__(self, name):
        return getattr(self._query, name)


def _is_kind(value, kind) -> bool:
    """Whether `value` is a value of `kind`: an int that is not a bool, a day that is not a moment, an aware
    moment."""
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is date:
        return isinstance(value, date) and not isinstance(value, datetime)
    return isinstance(value, datetime) and value.tzinfo is not None


def _shallow_copy(obj):
    copied = object.__new__(type(obj))
    copied.__dict__.update(obj.__dict__)
    return copied


class PreparedRead:
    """A read compiled once per process and database. `build(**placeholders)` returns the queryset; each keyword
    is a value it compares as given (an id unless annotated `date` or `datetime`). `read.list(user_id=3)` is
    `list(build(user_id=3))` without building or compiling it again; `read.first(...)` is its first row or None
    (write the limit into the queryset)."""

    def __init__(self, build: Callable[..., QuerySet], *, using: str = "default"):
        self._build = build
        self._using = using
        self._kinds: dict[str, type] = {}
        self._placeholders: dict[str, object] = {}
        self._queryset: QuerySet | None = None
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str) -> _Compiled:
        compiled = self._compiled.get(alias)
        if compiled is not None:
            return compiled
        with self._lock:  # threads that first read at the same moment compile it once, from one build
            compiled = self._compiled.get(alias)
            return compiled if compiled is not None else self._compile_locked(alias)

    def _compile_locked(self, alias: str) -> _Compiled:
        name = self._build.__qualname__
        if self._queryset is None:
            code = self._build.__code__
            if code.co_argcount or code.co_posonlyargcount:
                raise TypeError(f"{name}: a prepared read's values are keyword-only")
            annotations = getattr(self._build, "__annotations__", {})
            kinds = {}
            for value in code.co_varnames[: code.co_kwonlyargcount]:
                kind = annotations.get(value, int)
                kinds[value] = _KIND_NAMES.get(kind, kind) if isinstance(kind, str) else kind
                if kinds[value] not in _KINDS:
                    raise TypeError(f"{name}: {value} must be an int, a date or a datetime")
            self._kinds = kinds
            self._placeholders = {value: _KINDS[kind](n) for n, (value, kind) in enumerate(kinds.items(), start=1)}
            self._queryset = self._build(**self._placeholders)
        connection = connections[alias]
        adapters = {value: _adapter(kind, connection) for value, kind in self._kinds.items()}

        def taken(value, given):
            return adapters[value](given) if adapters[value] else given

        compiler = self._queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        positions: dict[str, list[int]] = {}
        for value, placeholder in self._placeholders.items():
            as_taken = taken(value, placeholder)
            positions[value] = [i for i, p in enumerate(params) if type(p) is type(as_taken) and p == as_taken]
            if not positions[value]:
                raise ValueError(
                    f"{name}: the value {value!r} does not reach the SQL's parameters as given "
                    "(a prepared read compares its values as they are, never transformed or computed from)"
                )
        # Built again with other placeholders, the read must differ only where the values are: a parameter
        # computed from a value (`since + timedelta(...)`) or a statement whose shape follows a value is refused
        # here rather than compiled in.
        others = {value: _KINDS[kind](len(self._kinds) + n) for n, (value, kind) in enumerate(self._kinds.items(), 1)}
        other_sql, other_params = self._build(**others).query.get_compiler(using=alias).as_sql()
        expected = list(params)
        for value, found in positions.items():
            for position in found:
                expected[position] = taken(value, others[value])
        if other_sql != sql or list(other_params) != expected:
            raise ValueError(
                f"{name}: the SQL's parameters follow its values other than as given (a value computed from, or "
                "a statement whose shape depends on a value); a prepared read compares its values as they are"
            )
        sql, params, kept = _constants_written_in(sql, list(params), {p for found in positions.values() for p in found})
        now_at = {position: n for n, position in enumerate(kept)}
        positions = {value: [now_at[position] for position in found] for value, found in positions.items()}
        compiled = _Compiled(compiler, sql, tuple(params), positions, adapters)
        self._compiled[alias] = compiled
        return compiled

    def _params(self, compiled: _Compiled, values: dict) -> list | None:
        """The SQL's parameters for `values`; None when an id is outside the database's integer range, which no
        row holds (the ORM answers such a lookup with no rows, without asking the database)."""
        if values.keys() != compiled.positions.keys():
            raise TypeError(f"{self._build.__qualname__} takes {sorted(compiled.positions)}, not {sorted(values)}")
        params = list(compiled.params)
        for name, value in values.items():
            kind = self._kinds[name]
            if not _is_kind(value, kind):
                wanted = {int: "an int", date: "a date", datetime: "an aware datetime"}[kind]
                raise TypeError(f"{self._build.__qualname__}: {name} must be {wanted}, not {type(value).__name__}")
            if kind is int and not _INT_RANGE[0] <= value <= _INT_RANGE[1]:
                return None
            adapter = compiled.adapters[name]
            taken = adapter(value) if adapter else value
            for position in compiled.positions[name]:
                params[position] = taken
        return params

    def list(self, **values) -> list:
        compiled = self._compile(self._using)
        params = self._params(compiled, values)
        if params is None:
            return []
        queryset = _shallow_copy(self._queryset)  # not copy.copy: pickling a queryset evaluates it
        queryset._db = self._using
        # Set past QuerySet.query's setter, which would turn a values_list() read into a values() one.
        queryset._query = _BoundQuery(self._queryset.query, compiled, params)
        return list(queryset)

    def first(self, **values):
        rows = self.list(**values)
        return rows[0] if rows else None

    def count(self, **values) -> int:
        """How many rows `list(**values)` would give, counted by the database: the compiled SQL in a `COUNT(*)`
        (what `QuerySet.count()` does for a union, whose count the ORM cannot otherwise prepare)."""
        compiled = self._compile(self._using)
        params = self._params(compiled, values)
        if params is None:
            return 0
        with connections[self._using].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({compiled.sql}) prepared_rows", params)  # noqa: S608
            return cursor.fetchone()[0]

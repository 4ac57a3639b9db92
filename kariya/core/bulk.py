"""Insert many rows without building a model instance for each.

``QuerySet.bulk_create`` builds one model instance per row and sends every value through the
field machinery (``pre_save``, ``get_db_prep_save``, descriptor checks). For an import of 2,000
people that is about 30,000 instances and most of the import's time. ``insert_rows`` takes
plain dicts keyed by attribute name (``person_id``, not ``person``), fills in the fields'
defaults, prepares only the values whose database form differs from their Python form
(dates and times, UUIDs, JSON, encrypted text…), and sends multi-row ``INSERT`` statements
(on PostgreSQL: an array per column through ``UNNEST``, and ``COPY`` from ``COPY_MIN_ROWS``
rows).

It is for the bulk services only, inside their transaction and after their validation: it
skips model validation, signals and ``save()`` like ``bulk_create`` does. It works on SQLite
and PostgreSQL (``COPY`` there for large batches, with keys drawn from the table's sequence).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import nullcontext
from typing import Any

from django.db import connections, models, router
from django.db.models import NOT_PROVIDED

# Field classes whose database value is the Python value itself (an ``int``, a ``str``, a
# ``bool`` or ``None``) on both backends, unless a subclass overrides ``get_db_prep_save``.
_PLAIN_TYPES = frozenset(
    {
        "CharField",
        "TextField",
        "SlugField",
        "EmailField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "PositiveBigIntegerField",
        "BooleanField",
        "ForeignKey",
        "OneToOneField",
    }
)

_AUTO = frozenset({"AutoField", "BigAutoField", "SmallAutoField"})

# Fields whose database value is a pure function of a hashable value, and whose values repeat
# within a batch: each distinct value is converted once.
_REPEATED_TYPES = frozenset(
    {"DateTimeField", "DateField", "TimeField", "GenericIPAddressField", "DecimalField"}
)

COPY_MIN_ROWS = 500
"""From this many rows, PostgreSQL gets ``COPY`` (several times faster for thousands of rows);
below, one multi-row ``INSERT``: ``COPY`` costs three round trips (start, data, end), which
showed on the 50 audit rows every list page writes."""

Row = Mapping[str, Any]


def _converter(field: models.Field[Any, Any], connection: Any) -> Callable[[list[Any]], list[Any]]:
    """How to turn a column of Python values into the values the driver takes."""
    kind = field.get_internal_type()
    if isinstance(field, models.ForeignKey):
        target = field.target_field.get_internal_type()
        if target in {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField"}:
            return _same
    elif kind in _PLAIN_TYPES and type(field).get_db_prep_save is models.Field.get_db_prep_save:
        if kind in {"CharField", "TextField", "SlugField", "EmailField"}:
            return _plain_strings
        return _same
    elif kind == "UUIDField" and type(field).get_db_prep_save is models.Field.get_db_prep_save:
        if connection.features.has_native_uuid_field:
            return _same
        return lambda values: [None if v is None else v.hex for v in values]
    elif kind in _REPEATED_TYPES and type(field).get_db_prep_save is models.Field.get_db_prep_save:
        return _once_each(field, connection)
    # Anything else value by value: a conversion may not be a pure function of the value (an
    # encrypted text gets a fresh nonce each time; equal texts must not look equal).
    return lambda values: [
        None if v is None else field.get_db_prep_save(v, connection) for v in values
    ]


def _once_each(field: models.Field[Any, Any], connection: Any) -> Callable[[list[Any]], list[Any]]:
    """Rows of one batch share a handful of values (timestamps; the reader's IP address on the
    50 audit rows of a list page, validated octet by octet each time): convert each once."""

    def once_each(values: list[Any]) -> list[Any]:
        done: dict[Any, Any] = {}
        out = []
        for value in values:
            try:
                converted = done[value]
            except KeyError:
                converted = done[value] = (
                    None if value is None else field.get_db_prep_save(value, connection)
                )
            out.append(converted)
        return out

    return once_each


def _same(values: list[Any]) -> list[Any]:
    return values


def _plain_strings(values: list[Any]) -> list[Any]:
    # A TextChoices member is a ``str`` subclass: hand the driver the plain string.
    return [str(v) if v.__class__ is not str and isinstance(v, str) else v for v in values]


def _column(model: type[models.Model], field: models.Field[Any, Any], rows: list[Row]) -> list[Any]:
    name = field.attname
    if name in rows[0]:
        return [row[name] for row in rows]  # a row without it is a KeyError, as it should be
    default = field.default
    if default is NOT_PROVIDED:
        if field.null:
            default = None
        elif field.blank and field.empty_strings_allowed:
            default = ""  # what the ORM stores for a text left blank
        else:
            raise KeyError(f"{model._meta.label}.{name} has no value and no default")
    if callable(default):
        return [default() for _row in rows]
    return [default] * len(rows)


def insert_rows(
    model: type[models.Model], rows: Iterable[Row], *, returning: bool = False
) -> list[Any]:
    """Insert ``rows`` into ``model``'s table; return their primary keys if ``returning``.

    Each row maps attribute names to values, every row the same names; a missing field takes
    its default (callable defaults are called per row, so each row gets its own
    ``public_id``), ``NULL`` if nullable, ``""`` if a text that may be blank; any other
    missing field is an error (``KeyError``), so a forgotten column cannot be stored as a
    made-up value. Keys come back in the order of ``rows``.
    """
    rows = list(rows)
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if f.get_internal_type() not in _AUTO]
    columns = [_converter(f, connection)(_column(model, f, rows)) for f in fields]
    records = list(zip(*columns, strict=True))
    if connection.vendor == "postgresql" and len(records) >= COPY_MIN_ROWS:
        return _copy_rows(connection, model, fields, records, returning=returning)
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(f.column)) for f in fields)
    table = quote(model._meta.db_table)
    pk_column = quote(str(model._meta.pk.column))  # type: ignore[union-attr]
    width = len(fields)
    max_params = connection.features.max_query_params or 30000
    per_statement = max(1, min(1000, max_params // width))
    arrays = _array_types(connection, fields) if len(records) > 1 else None
    one = "(" + ", ".join(["%s"] * width) + ")"
    keys: list[Any] = []
    with connection.cursor() as cursor:
        for start in range(0, len(records), per_statement):
            chunk = records[start : start + per_statement]
            # Names and types come from the model and placeholders are fixed: no value is in
            # the SQL.
            if arrays is not None:
                params: list[Any] = [list(column) for column in zip(*chunk, strict=True)]
                sql = f"INSERT INTO {table} ({names}) SELECT * FROM UNNEST({arrays})"  # noqa: S608
            else:
                params = [value for record in chunk for value in record]
                sql = f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(chunk))}"  # noqa: S608
            if returning:
                cursor.execute(f"{sql} RETURNING {pk_column}", params)
                keys += [r[0] for r in cursor.fetchall()]
            else:
                cursor.execute(sql, params)
    return keys


def _array_types(connection: Any, fields: list[models.Field[Any, Any]]) -> str | None:
    """PostgreSQL: the placeholders of ``INSERT … SELECT * FROM UNNEST(%s::type[], …)`` — one
    array per column, as Django's ``bulk_create`` sends since 5.2 — or ``None`` where that does
    not apply (SQLite; a field with a placeholder of its own or a type not in the backend's
    list). A statement of 50 audit rows has 9 parameters instead of 450: psycopg caches the
    parsing of a statement of at most 50 parameters, and parsed the 450 again on every list
    page; the server plans one short statement. The rows keep their order (``RETURNING``)."""
    if connection.vendor != "postgresql":
        return None
    types = []
    for field in fields:
        target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
        if hasattr(field, "get_placeholder") or (
            target.get_internal_type() not in connection.data_types
        ):
            return None
        # Without the length (varchar[], not varchar(50)[]): the values were validated.
        types.append(f"(%s)::{str(field.db_type(connection)).split('(')[0]}[]")
    return ", ".join(types)


def _copy_rows(
    connection: Any,
    model: type[models.Model],
    fields: list[models.Field[Any, Any]],
    records: list[tuple[Any, ...]],
    *,
    returning: bool,
) -> list[Any]:
    """PostgreSQL: ``COPY … FROM STDIN``, several times faster than multi-row ``INSERT``s
    (psycopg parses a long statement's placeholders one by one). The keys, when wanted, are
    drawn from the table's sequence first and written with the rows."""
    quote = connection.ops.quote_name
    table = model._meta.db_table
    pk_column = str(model._meta.pk.column)  # type: ignore[union-attr]
    columns = [str(f.column) for f in fields]
    keys: list[Any] = []
    with connection.cursor() as cursor:
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), pk_column, len(records)],
            )
            keys = [row[0] for row in cursor.fetchall()]
            columns = [pk_column, *columns]
            records = [(key, *record) for key, record in zip(keys, records, strict=True)]
        names = ", ".join(quote(column) for column in columns)
        sql = f"COPY {quote(table)} ({names}) FROM STDIN"
        # Logged like any statement when queries are (tests, DEBUG), through Django's wrapper.
        logged = cursor.debug_sql(sql) if hasattr(cursor, "debug_sql") else nullcontext()
        with logged, cursor.cursor.copy(sql) as copy:
            for record in records:
                copy.write_row(record)
    return keys


def through_rows(
    relation: Any, pairs: Sequence[tuple[Any, Any]]
) -> tuple[type[models.Model], list[dict[str, Any]]]:
    """The rows of a many-to-many ``relation``'s table for ``(source id, target id)`` pairs.

    ``relation`` is the descriptor (``Person.languages``); use with ``insert_rows``.
    """
    through = relation.through
    field = relation.field
    source = field.m2m_column_name()
    target = field.m2m_reverse_name()
    return through, [{source: a, target: b} for a, b in pairs]

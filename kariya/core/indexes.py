"""Dropping an index that another one makes redundant, without rebuilding the table.

A foreign key gets an index of its own; where a composite index already leads with the same
column, that index only costs inserts. ``AlterField(db_index=False)`` would drop it, but on
SQLite Django rebuilds the whole table for it (a copy of every row). Migrations use these two
functions instead, in ``SeparateDatabaseAndState`` with the ``AlterField`` as the state: the
index is found by its column through the database's introspection and dropped by its name.
"""

from __future__ import annotations

from typing import Any


def single_column_indexes(schema_editor: Any, table: str, column: str) -> list[str]:
    """Names of the plain (not unique, not primary key) indexes on ``column`` alone."""
    with schema_editor.connection.cursor() as cursor:
        constraints = schema_editor.connection.introspection.get_constraints(cursor, table)
    return [
        name
        for name, info in constraints.items()
        if info["index"]
        and not info["unique"]
        and not info["primary_key"]
        and info["columns"] == [column]
    ]


def drop_index(schema_editor: Any, table: str, name: str) -> None:
    """Drop the index ``name`` of ``table``, found by introspection."""
    schema_editor.execute(
        schema_editor.sql_delete_index
        % {"table": schema_editor.quote_name(table), "name": schema_editor.quote_name(name)}
    )


def drop_single_column_indexes(schema_editor: Any, model: Any, fields: tuple[str, ...]) -> None:
    table = model._meta.db_table
    for field_name in fields:
        column = model._meta.get_field(field_name).column
        for name in single_column_indexes(schema_editor, table, column):
            drop_index(schema_editor, table, name)


def restore_single_column_indexes(schema_editor: Any, model: Any, fields: tuple[str, ...]) -> None:
    """The reverse: the index Django would have made for each field, if it has none."""
    for field_name in fields:
        field = model._meta.get_field(field_name)
        if not single_column_indexes(schema_editor, model._meta.db_table, field.column):
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))

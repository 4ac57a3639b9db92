"""Drop the single-column indexes on the audit log's ``actor_id`` and ``organisation_id``.

Each repeats the leading column of a composite index (``audit_actor_at``, ``audit_org_at``),
which serves every lookup they served (the log's pages, the foreign-key checks when a user or
an organisation is deleted). Every personal-data read writes audit rows, so each index costs
on the hottest insert of the system: a case-list page writes 50.

The state change is ``db_index=False``; the database change drops the index by the name the
database reports, so SQLite is not made to rebuild the whole table (what an ``AlterField``
does there).
"""

from typing import Any

from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

FIELDS = ("actor", "organisation")


def _single_column_indexes(schema_editor: BaseDatabaseSchemaEditor, table: str, column: str) -> list[str]:
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


def drop_indexes(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    model = apps.get_model("core", "AuditEvent")
    table = model._meta.db_table
    for field_name in FIELDS:
        column = model._meta.get_field(field_name).column
        for name in _single_column_indexes(schema_editor, table, column):
            schema_editor.execute(
                schema_editor.sql_delete_index
                % {"table": schema_editor.quote_name(table), "name": schema_editor.quote_name(name)}
            )


def restore_indexes(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    model = apps.get_model("core", "AuditEvent")
    for field_name in FIELDS:
        field = model._meta.get_field(field_name)
        if not _single_column_indexes(schema_editor, model._meta.db_table, field.column):
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
                migrations.AlterField(
                    model_name="auditevent",
                    name="organisation",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="organisation",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_indexes, restore_indexes)],
        ),
    ]

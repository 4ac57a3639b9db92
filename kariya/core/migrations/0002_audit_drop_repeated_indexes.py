"""Drop the single-column indexes on the audit log's ``actor_id`` and ``organisation_id``.

Each repeats the leading column of a composite index (``audit_actor_at``, ``audit_org_at``),
which serves every lookup they served (the log's pages, the foreign-key checks when a user or
an organisation is deleted). Every personal-data read writes audit rows, so each index costs
on the hottest insert of the system: a case-list page writes 50.

The state change is ``db_index=False``; the database change drops the index by the name the
database reports (``core.indexes``), so SQLite is not made to rebuild the whole table (what an
``AlterField`` does there).
"""

from typing import Any

from django.conf import settings
from django.db import migrations, models

from kariya.core.indexes import drop_single_column_indexes, restore_single_column_indexes

FIELDS = ("actor", "organisation")


def drop_indexes(apps: Any, schema_editor: Any) -> None:
    drop_single_column_indexes(schema_editor, apps.get_model("core", "AuditEvent"), FIELDS)


def restore_indexes(apps: Any, schema_editor: Any) -> None:
    restore_single_column_indexes(schema_editor, apps.get_model("core", "AuditEvent"), FIELDS)


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

"""The search keys' lookup index carries the person (``searchkey_postings``): a name search
reads the index alone and checks a person's second token by one seek. The single-column
indexes on ``person_id`` and ``organisation_id`` go: ``searchkey_unique`` leads with the person,
``searchkey_postings`` with the organisation, and every registration and import writes about
16 keys a person. Dropped by name (``core.indexes``), so SQLite does not rebuild the table."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

from kariya.core.indexes import drop_single_column_indexes, restore_single_column_indexes

FIELDS = ("person", "organisation")


def drop_indexes(apps: Any, schema_editor: Any) -> None:
    model = apps.get_model("people", "PersonSearchKey")
    drop_single_column_indexes(schema_editor, model, FIELDS)


def restore_indexes(apps: Any, schema_editor: Any) -> None:
    model = apps.get_model("people", "PersonSearchKey")
    restore_single_column_indexes(schema_editor, model, FIELDS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("people", "0004_search_keys_for_matching"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="personsearchkey",
            index=models.Index(
                fields=["organisation", "kind", "key", "person"], name="searchkey_postings"
            ),
        ),
        migrations.RemoveIndex(
            model_name="personsearchkey",
            name="searchkey_lookup",
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="personsearchkey",
                    name="organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="personsearchkey",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_keys",
                        to="people.person",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_indexes, restore_indexes)],
        ),
    ]

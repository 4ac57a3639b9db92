"""PostgreSQL: the audit log's ``object_id`` loses the ``varchar_pattern_ops`` index Django adds
beside a text column's index (``…_like``), for ``LIKE 'prefix%'`` queries. None is made: the
log is read by object (``object_id =``, the plain index) and the admin searches it with
``icontains``, which neither index serves. Every read of personal data writes a row here (50 a
list page), and each index is upkeep on each row. SQLite has no such index."""

from typing import Any

from django.db import migrations

from kariya.core.indexes import drop_index, single_column_indexes


def drop_pattern_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("core", "AuditEvent")._meta.db_table
    for name in single_column_indexes(schema_editor, table, "object_id"):
        if name.endswith("_like"):
            drop_index(schema_editor, table, name)


def restore_pattern_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("core", "AuditEvent")
    field = model._meta.get_field("object_id")
    schema_editor.execute(schema_editor._create_like_index_sql(model, field))


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_drop_repeated_indexes")]

    operations = [migrations.RunPython(drop_pattern_index, restore_pattern_index)]

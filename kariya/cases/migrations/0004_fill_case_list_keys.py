"""Fill the case list's filter keys (``CaseListKey``) of an existing database, 500 persons at a
time, from the profiles and assessments (``cases.listkeys.refresh``)."""

from typing import Any

from django.db import migrations

from kariya.cases import listkeys


def fill(apps: Any, schema_editor: Any) -> None:
    models = listkeys.Models.historical(apps)
    person_ids = list(
        models.case.objects.order_by("person_id").values_list("person_id", flat=True).distinct()
    )
    listkeys.refresh(person_ids, models=models)


def empty(apps: Any, schema_editor: Any) -> None:
    apps.get_model("cases", "CaseListKey").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_case_list_keys"),
        ("people", "0001_initial"),
        ("codelists", "0001_initial"),
    ]

    operations = [migrations.RunPython(fill, empty)]

"""Load the shipped code lists from kariya/codelists/data/*.csv (idempotent)."""

from django.db import migrations


def load(apps, schema_editor):
    from kariya.codelists.loading import load_list, shipped_lists

    Code = apps.get_model("codelists", "Code")
    for name in shipped_lists():
        load_list(Code, name)


def unload(apps, schema_editor):
    Code = apps.get_model("codelists", "Code")
    Code.objects.filter(parent__isnull=False).delete()
    Code.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("codelists", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]

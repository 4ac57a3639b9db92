"""Give the sites loaded by 0002 their region: from their commune, or, for the sites that lie
in no single commune (Assamaka, Point Zéro, Séguédine, Madama, Tahoua), from a fixed list."""

from django.db import migrations


def fill(apps, schema_editor):
    from kariya.geo.loading import assign_site_regions

    assign_site_regions(apps.get_model("geo", "Site"), apps.get_model("geo", "AdminUnit"))


class Migration(migrations.Migration):
    dependencies = [("geo", "0003_add_site_region")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

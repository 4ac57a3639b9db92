"""Load Niger's 341 administrative units (with commune points), the ISO 3166-1 countries and
the gazetteer of migration sites from the files shipped in kariya/geo/data."""

from django.db import migrations

SITES = [
    # name, kind, commune P-code (None where the site is outside a single commune), description
    ("Assamaka", "border_point", None,
     "Algerian border post; official expulsion convoys are registered here"),
    ("Point Zéro", "border_point", None,
     "Desert border point about 15 km from Assamaka where people pushed back are left"),
    ("Dirkou", "transit_town", "NE001003002", "Oasis on the route to Libya; arrivals from Libya"),
    ("Séguédine", "transit_town", None, "Oasis on the route to Libya"),
    ("Madama", "border_point", None, "Post near the Libyan border"),
    ("Arlit", "transit_town", "NE001002001", "Mining town on the route to Algeria"),
    ("Agadez", "transit_town", "NE001006001", "Main transit hub towards Algeria and Libya"),
    ("Bilma", "transit_town", "NE001003001", "Oasis on the route to Libya"),
    ("Tahoua", "transit_town", None, "Regional capital on the routes north (Tahoua I and II)"),
    ("Dan Barto", "border_point", "NE007005001", "Border crossing with Nigeria"),
    ("Dan Issa", "border_point", "NE004006001", "Border crossing with Nigeria"),
    ("Magaria", "border_point", "NE007006004", "Border town with Nigeria"),
]


def load(apps, schema_editor):
    from kariya.geo.loading import load_countries, load_shipped_admin_units

    AdminUnit = apps.get_model("geo", "AdminUnit")
    Country = apps.get_model("geo", "Country")
    Site = apps.get_model("geo", "Site")
    load_shipped_admin_units(AdminUnit)
    load_countries(Country)
    communes = {u.pcode: u for u in AdminUnit.objects.filter(level=3)}
    for name, kind, pcode, description in SITES:
        Site.objects.get_or_create(
            name=name,
            kind=kind,
            defaults={"commune": communes.get(pcode) if pcode else None,
                      "description": description},
        )


def unload(apps, schema_editor):
    apps.get_model("geo", "Site").objects.filter(name__in=[s[0] for s in SITES]).delete()
    apps.get_model("geo", "Country").objects.all().delete()
    AdminUnit = apps.get_model("geo", "AdminUnit")
    for level in (3, 2, 1):
        AdminUnit.objects.filter(level=level).delete()


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]

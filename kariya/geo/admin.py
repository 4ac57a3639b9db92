from django.contrib import admin

from kariya.geo.models import AdminUnit, Country, Site


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ["pcode", "name_fr", "level", "parent", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["pcode", "name_fr", "name_ref"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["iso3", "name_fr", "name_en", "quick_pick", "is_active"]
    search_fields = ["iso3", "name_fr", "name_en"]
    list_filter = ["is_active"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["commune"]

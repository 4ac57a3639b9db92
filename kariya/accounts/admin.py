from django.contrib import admin

from kariya.accounts.models import Office, Organisation


class OfficeInline(admin.TabularInline):
    model = Office
    extra = 0
    fields = ["name", "kind", "commune", "address", "phone", "is_active"]
    autocomplete_fields = ["commune"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["acronym", "name", "type", "network_status", "is_active"]
    list_filter = ["type", "network_status", "is_active"]
    search_fields = ["name", "acronym"]
    inlines = [OfficeInline]
    readonly_fields = ["public_id", "version"]

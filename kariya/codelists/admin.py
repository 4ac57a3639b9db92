from django.contrib import admin

from kariya.codelists.models import Code


@admin.register(Code)
class CodeAdmin(admin.ModelAdmin):
    """Code lists are configuration: labels, order and the active flag are edited here."""

    list_display = ["list", "code", "label_fr", "label_en", "parent", "order", "is_active"]
    list_filter = ["list", "is_active"]
    search_fields = ["code", "label_fr", "label_en"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]
    readonly_fields = ["version"]

from django.contrib import admin

from scholingsfonds.providers.models import Provider


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "kvk_number", "city", "status")
    list_filter = ("kind", "status")
    search_fields = ("name", "kvk_number")
    filter_horizontal = ("users",)

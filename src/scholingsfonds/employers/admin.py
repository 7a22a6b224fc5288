from django.contrib import admin

from scholingsfonds.employers.models import Employer


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ("name", "kvk_number", "municipality", "contact_name")
    search_fields = ("name", "kvk_number")
    filter_horizontal = ("users",)

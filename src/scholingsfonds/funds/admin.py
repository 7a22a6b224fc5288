from django.contrib import admin

from scholingsfonds.core.admin import ReadOnlyAdmin
from scholingsfonds.funds.models import (
    Fund,
    Municipality,
    Occupation,
    PolicyVersion,
    PromisingOccupationList,
)


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "reference_prefix")
    filter_horizontal = ("staff",)


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    """Policy versions come from policies/*.toml (manage.py load_policies), never from a form."""

    list_display = ("version", "fund", "valid_from", "valid_to", "source_file", "loaded_at")


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "cbs_code", "region", "population")
    list_editable = ("population",)
    list_filter = ("region",)


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ("title_nl", "isco08", "shortage_class", "priority_sector")
    search_fields = ("title_nl", "title_en", "isco08")


@admin.register(PromisingOccupationList)
class PromisingOccupationListAdmin(admin.ModelAdmin):
    list_display = ("region_name", "valid_from", "valid_to", "source", "is_demo")
    filter_horizontal = ("occupations",)

from django.contrib import admin

from scholingsfonds.providers.models import Course, CoursePrice, Provider, ProviderContact


class ProviderContactInline(admin.TabularInline):
    model = ProviderContact
    extra = 0


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "kvk_number", "city", "status")
    list_filter = ("kind", "status")
    search_fields = ("name", "kvk_number")
    filter_horizontal = ("users",)
    inlines = [ProviderContactInline]
    # Status and bank account change only through the audited screens (Financiën → Opleiders).
    readonly_fields = ("status", "status_reason", "status_changed_at", "iban", "bic", "applied_at")


class CoursePriceInline(admin.TabularInline):
    model = CoursePrice
    extra = 0
    readonly_fields = ("price_cents", "valid_from", "recorded_at", "recorded_by")
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title", "provider", "level", "hours", "status", "created_on")
    list_filter = ("status", "level", "provider")
    search_fields = ("title", "provider__name")
    filter_horizontal = ("target_occupations",)
    readonly_fields = ("status", "status_reason")
    inlines = [CoursePriceInline]

"""Targets are set on the dashboard's own page (audited); the admin only shows them."""

from django.contrib import admin

from scholingsfonds.monitoring.models import FundTarget, OutcomeSurvey


@admin.register(FundTarget)
class FundTargetAdmin(admin.ModelAdmin):
    list_display = (
        "fund",
        "vouchers_per_year",
        "conversations_per_year",
        "priority_share_percent",
        "min_cell",
        "updated_at",
    )

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(OutcomeSurvey)
class OutcomeSurveyAdmin(admin.ModelAdmin):
    list_display = ("application", "wave", "status", "sent_at", "reminders", "answered_at")
    list_filter = ("status", "wave")
    # Answers are personal: read-only, no search on them.
    readonly_fields = [f.name for f in OutcomeSurvey._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

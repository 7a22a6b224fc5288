from django.contrib import admin

from scholingsfonds.budget.models import FundingSource, JournalTransaction, Posting, SourceBalance
from scholingsfonds.core.admin import ReadOnlyAdmin


@admin.register(FundingSource)
class FundingSourceAdmin(ReadOnlyAdmin):
    list_display = (
        "name",
        "fund",
        "funder",
        "category",
        "period_start",
        "period_end",
        "restricted",
    )
    list_filter = ("fund", "category", "funder")


@admin.register(SourceBalance)
class SourceBalanceAdmin(ReadOnlyAdmin):
    list_display = ("source", *SourceBalance.AMOUNT_FIELDS)


class PostingInline(admin.TabularInline):
    model = Posting
    extra = 0
    can_delete = False
    readonly_fields = ("source", "account", "ref", "amount_cents")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(JournalTransaction)
class JournalTransactionAdmin(ReadOnlyAdmin):
    list_display = ("id", "created_at", "fund", "kind", "ref", "memo", "actor")
    list_filter = ("fund", "kind")
    search_fields = ("ref",)
    inlines = [PostingInline]

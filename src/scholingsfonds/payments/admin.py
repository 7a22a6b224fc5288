from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from scholingsfonds.accounts.models import Role, User
from scholingsfonds.budget.models import FundingSource
from scholingsfonds.core.admin import ReadOnlyAdmin
from scholingsfonds.payments.models import CofinancingConfirmation, FunderAccess


class FunderAccessForm(forms.ModelForm):
    """The funder is picked from the funders that have sources, so a typo cannot hide money."""

    funder = forms.ChoiceField(label=_("financier"), choices=())

    class Meta:
        model = FunderAccess
        fields = ("user", "fund", "funder")

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        names = FundingSource.objects.order_by("funder").values_list("funder", flat=True)
        self.fields["funder"].choices = [("", "---------")] + [(n, n) for n in dict.fromkeys(names)]
        self.fields["user"].queryset = User.objects.filter(role=Role.FUNDER)

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        fund, funder = data.get("fund"), data.get("funder")
        if fund and funder and not FundingSource.objects.filter(fund=fund, funder=funder).exists():
            raise forms.ValidationError(_("Deze financier heeft geen bronnen in dit fonds."))
        return data


@admin.register(FunderAccess)
class FunderAccessAdmin(admin.ModelAdmin):
    form = FunderAccessForm
    list_display = ("user", "fund", "funder")
    list_filter = ("fund", "funder")


@admin.register(CofinancingConfirmation)
class CofinancingConfirmationAdmin(ReadOnlyAdmin):
    list_display = ("application", "payer", "amount_cents", "confirmed_by", "confirmed_at")
    list_filter = ("payer",)

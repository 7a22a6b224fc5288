"""Forms of the finance screens; the services check the rules, the forms only the input."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from scholingsfonds.budget.models import FundingSource
from scholingsfonds.core.forms import DateField, EuroField


class ReportPeriodForm(forms.Form):
    van = DateField(label=_("Van"))
    tot = DateField(label=_("Tot en met"))

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        start, end = data.get("van"), data.get("tot")
        if start and end and end < start:
            self.add_error("tot", _("De einddatum ligt voor de begindatum."))
        return data

    def period(self, default_start: date, default_end: date) -> tuple[date, date]:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["van"], self.cleaned_data["tot"]
        return default_start, default_end


class CofinancingConfirmForm(forms.Form):
    proof_note = forms.CharField(
        label=_("Bewijs"),
        max_length=500,
        help_text=_("Bijvoorbeeld het factuurnummer of de datum van de betaling."),
        error_messages={"required": _("Noteer welk bewijs u zag.")},
    )


class SourceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):  # type: ignore[no-untyped-def]
        return f"{obj.fund.short_name}: {obj.name} ({obj.funder})"


class ReallocationForm(forms.Form):
    from_source = SourceChoiceField(
        label=_("Van bron"),
        queryset=FundingSource.objects.none(),
        error_messages={"required": _("Kies de bron waar het geld vandaan komt.")},
    )
    to_source = SourceChoiceField(
        label=_("Naar bron"),
        queryset=FundingSource.objects.none(),
        error_messages={"required": _("Kies de bron waar het geld naartoe gaat.")},
    )
    amount_cents = EuroField(label=_("Bedrag (euro)"), min_cents=1, max_cents=10_000_000_000)
    reason = forms.CharField(
        label=_("Reden"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld het besluit of de afspraak met de financier."),
        error_messages={"required": _("Geef een reden voor de herverdeling.")},
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        sources = FundingSource.objects.select_related("fund").order_by(
            "fund__name", "funder", "order", "id"
        )
        self.fields["from_source"].queryset = sources
        self.fields["to_source"].queryset = sources

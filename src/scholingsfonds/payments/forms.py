"""Forms of the finance screens; the services check the rules, the forms only the input."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from scholingsfonds.budget.models import FundingSource
from scholingsfonds.core.forms import DateField, EuroField
from scholingsfonds.funds.models import Fund


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


# --- Providers issue ------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Geef een reden op.")},
    )


class BatchCreateForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("Fonds"), queryset=Fund.objects.none())
    execution_date = forms.DateField(
        label=_("Uitvoerdatum bij de bank"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Vul een datum in, zoals 24-11-2026.")},
    )

    def __init__(self, *args, funds=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds if funds is not None else Fund.objects.none()


class RecoveryForm(forms.Form):
    note = forms.CharField(
        label=_("Bewijs of reden"),
        max_length=500,
        error_messages={"required": _("Noteer het bewijs van ontvangst of de reden.")},
    )


class BankAccountForm(forms.Form):
    iban = forms.CharField(label=_("Nieuw IBAN"), max_length=40)
    account_holder = forms.CharField(label=_("Tenaamstelling"), max_length=70)
    reason = forms.CharField(
        label=_("Hoe is de wijziging gecontroleerd?"),
        max_length=500,
        help_text=_("Bijvoorbeeld: teruggebeld op het bekende nummer, bankafschrift gezien."),
    )


class MarketActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Actie"), choices=())
    course = forms.IntegerField(required=False, widget=forms.HiddenInput)
    signal_code = forms.CharField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Toelichting"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Schrijf op wat u doet en waarom.")},
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        from scholingsfonds.payments.models import MarketAction

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = MarketAction.Kind.choices


class ClosureForm(forms.Form):
    """Propose the close of a source whose period has ended."""

    source = SourceChoiceField(
        label=_("Bron"),
        queryset=FundingSource.objects.none(),
        error_messages={"required": _("Kies de bron die u afsluit.")},
    )
    decision = forms.ChoiceField(
        label=_("Wat gebeurt er met het geld dat over is?"),
        choices=[
            ("return", _("Terugbetalen aan de financier")),
            ("carry_over", _("Overhevelen naar een bron van de volgende periode")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies terugbetalen of overhevelen.")},
    )
    carry_to = SourceChoiceField(
        label=_("Naar bron (bij overhevelen)"),
        queryset=FundingSource.objects.none(),
        required=False,
    )
    consent_reference = forms.CharField(
        label=_("Kenmerk schriftelijke toestemming financier (bij overhevelen)"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld het kenmerk van de brief of het besluit van de financier."),
    )
    note = forms.CharField(
        label=_("Toelichting"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, sources, targets, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources
        self.fields["carry_to"].queryset = targets

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("decision") == "carry_over":
            if not data.get("carry_to"):
                self.add_error("carry_to", _("Kies de bron waar het geld naartoe gaat."))
            if not (data.get("consent_reference") or "").strip():
                self.add_error(
                    "consent_reference",
                    _("Overhevelen mag alleen met schriftelijke toestemming: vul het kenmerk in."),
                )
        return data

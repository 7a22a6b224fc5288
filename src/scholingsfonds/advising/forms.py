"""Forms of the advisor's case page."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scholingsfonds.advising.models import Conversation
from scholingsfonds.applications.models import CofinancingPayer, TrainingLevel
from scholingsfonds.core.forms import BsnField, EuroField, TextField
from scholingsfonds.funds.models import Occupation
from scholingsfonds.providers.models import Provider

SECTORS = [
    ("", _("Kies een sector")),
    ("ICT", _("ICT")),
    ("technical", _("Techniek")),
    ("transport & logistics", _("Transport en logistiek")),
    ("care & welfare", _("Zorg en welzijn")),
    ("hospitality", _("Horeca")),
    ("other", _("Overig")),
]


class InviteForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Datum en tijd van het gesprek"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
        error_messages={
            "required": _("Kies datum en tijd."),
            "invalid": _("Vul datum en tijd in, zoals 24-11-2026 10:00."),
        },
    )
    location = forms.ChoiceField(
        label=_("Plaats"),
        choices=Conversation.Location.choices,
        error_messages={"required": _("Kies een plaats.")},
    )

    def clean_scheduled_at(self):  # type: ignore[no-untyped-def]
        value = self.cleaned_data["scheduled_at"]
        if value < timezone.now():
            raise forms.ValidationError(_("Kies een moment in de toekomst."), code="past")
        return value


class ConversationForm(forms.Form):
    identity_checked = forms.BooleanField(
        label=_("Identiteitsbewijs gezien"),
        required=False,
        help_text=_("Nodig voor een aanvraag scholingscheque."),
    )
    notes = TextField(
        label=_("Verslag van het gesprek"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Schrijf kort op wat u besprak."),
            "max_length": _("Gebruik hoogstens 5000 tekens."),
        },
    )
    outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        choices=Conversation.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies de uitkomst.")},
    )
    referral_to = forms.CharField(
        label=_("Doorverwezen naar"),
        max_length=120,
        required=False,
        help_text=_("Bijvoorbeeld UWV, een O&O-fonds of schuldhulp."),
    )
    referral_reason = TextField(
        label=_("Reden van doorverwijzing"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("outcome") == Conversation.Outcome.REFERRAL:
            if not data.get("referral_to"):
                self.add_error("referral_to", _("Vul in naar wie u doorverwijst."))
            if not data.get("referral_reason"):
                self.add_error("referral_reason", _("Vul de reden van de doorverwijzing in."))
        if data.get("outcome") == Conversation.Outcome.VOUCHER and not data.get("identity_checked"):
            self.add_error(
                "identity_checked",
                _("Voor een aanvraag scholingscheque moet u het identiteitsbewijs zien."),
            )
        return data


class TrainingForm(forms.Form):
    training_title = forms.CharField(
        label=_("Opleiding"),
        max_length=200,
        error_messages={
            "required": _("Vul de naam van de opleiding in."),
            "max_length": _("Gebruik hoogstens 200 tekens."),
        },
    )
    training_level = forms.ChoiceField(
        label=_("Niveau"),
        choices=[("", _("Kies het niveau")), *TrainingLevel.choices],
        error_messages={"required": _("Kies het niveau.")},
    )
    training_sector = forms.ChoiceField(
        label=_("Sector van het beoogde werk"),
        choices=SECTORS,
        error_messages={"required": _("Kies de sector.")},
    )
    provider = forms.ModelChoiceField(
        label=_("Opleider"),
        queryset=Provider.objects.filter(status="approved"),
        empty_label=_("Kies de opleider"),
        error_messages={
            "required": _("Kies de opleider."),
            "invalid_choice": _("Kies een opleider uit de lijst."),
        },
    )
    cost = EuroField(
        label=_("Totale kosten van de opleiding (euro)"),
        min_cents=1,
        max_cents=5_000_000,
        help_text=_("Inclusief examen en lesmateriaal."),
    )
    payer_1 = forms.ChoiceField(
        label=_("Wie betaalt mee? (1)"),
        required=False,
        choices=[("", "—"), *CofinancingPayer.choices],
    )
    amount_1 = EuroField(label=_("Bedrag (1)"), required=False)
    payer_2 = forms.ChoiceField(
        label=_("Wie betaalt mee? (2)"),
        required=False,
        choices=[("", "—"), *CofinancingPayer.choices],
    )
    amount_2 = EuroField(label=_("Bedrag (2)"), required=False)
    bsn = BsnField(
        required=False,
        help_text=_(
            "Alleen invullen als het identiteitsbewijs is gecontroleerd en de aanvraag doorgaat."
        ),
    )

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        parts = []
        for n in (1, 2):
            payer, amount = data.get(f"payer_{n}"), data.get(f"amount_{n}")
            if payer and amount is None:
                self.add_error(f"amount_{n}", _("Vul het bedrag van deze betaler in."))
            elif amount and not payer:
                self.add_error(f"payer_{n}", _("Kies wie dit bedrag betaalt."))
            elif payer and amount:
                parts.append({"payer": payer, "amount_cents": amount})
        cost = data.get("cost")
        if cost and sum(p["amount_cents"] for p in parts) > cost:
            self.add_error("amount_1", _("De bijdragen zijn samen hoger dan de kosten."))
        data["cofinancing"] = parts
        return data


class LabourMarketTestForm(forms.Form):
    occupation = forms.ModelChoiceField(
        label=_("Beoogd beroep"),
        queryset=Occupation.objects.all(),
        empty_label=_("Kies het beroep"),
        error_messages={"required": _("Kies het beroep waar de opleiding naartoe leidt.")},
    )
    motivation = TextField(
        label=_("Motivering arbeidsmarktperspectief"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Nodig als het beroep niet op de lijst van kansrijke beroepen staat "
            "(artikel 4 van de subsidieverordening)."
        ),
    )

    def __init__(self, *args, promising_ids=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        promising = set(promising_ids)
        # The advisor sees before saving which occupations are on the region's list.
        self.fields["occupation"].label_from_instance = lambda occupation: (
            f"{occupation} – {_('kansrijk')}" if occupation.pk in promising else str(occupation)
        )


class RepairForm(forms.Form):
    what = TextField(
        label=_("Wat ontbreekt er?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Schrijf op wat de aanvrager moet aanvullen.")},
    )
    days = forms.IntegerField(
        label=_("Termijn (dagen)"),
        min_value=7,
        max_value=56,
        initial=14,
        error_messages={
            "required": _("Vul de termijn in."),
            "invalid": _("Vul een heel getal in, zoals 14."),
            "min_value": _("Geef minstens 7 dagen."),
            "max_value": _("Hoogstens 56 dagen."),
        },
    )


class RepairResolveForm(forms.Form):
    response = TextField(
        label=_("Wat is er aangevuld?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Schrijf op wat er is aangevuld.")},
    )

from django import forms
from django.utils.translation import gettext_lazy as _


class RefuseForm(forms.Form):
    grounds = forms.CharField(
        label=_("Motivering van de afwijzing"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Schrijf in gewone taal (B1) waarom de aanvraag wordt afgewezen."),
        error_messages={"max_length": _("Gebruik hoogstens 5000 tekens.")},
    )
    rests_on_other_facts = forms.BooleanField(
        label=_("De afwijzing steunt op gegevens die de aanvrager niet zelf heeft gegeven"),
        required=False,
        help_text=_("Dan vraagt u eerst de zienswijze van de aanvrager (artikel 4:7 Awb)."),
    )
    ceiling_reached = forms.BooleanField(
        label=_("Afwijzing wegens het subsidieplafond (artikel 4:25 Awb)"),
        required=False,
    )

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if not data.get("ceiling_reached") and not (data.get("grounds") or "").strip():
            self.add_error("grounds", _("Een afwijzing heeft een motivering nodig."))
        return data


class HearingForm(forms.Form):
    facts = forms.CharField(
        label=_("Over welke gegevens vraagt u de mening van de aanvrager?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Beschrijf de gegevens waarop de afwijzing zou steunen.")},
    )
    days = forms.IntegerField(
        label=_("Termijn (dagen)"),
        min_value=7,
        max_value=42,
        initial=14,
        error_messages={
            "required": _("Vul de termijn in."),
            "invalid": _("Vul een heel getal in, zoals 14."),
            "min_value": _("Geef minstens 7 dagen."),
            "max_value": _("Hoogstens 42 dagen."),
        },
    )


class HearingResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Uw reactie"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Schrijf uw reactie."),
            "max_length": _("Gebruik hoogstens 5000 tekens."),
        },
    )


class ReturnProposalForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom keurt u het voorstel niet goed?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Geef een reden.")},
    )

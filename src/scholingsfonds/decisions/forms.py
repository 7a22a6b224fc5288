from django import forms
from django.utils.translation import gettext_lazy as _

from scholingsfonds.advising.forms import TrainingForm, clean_cofinancing
from scholingsfonds.applications.forms import ShortForm
from scholingsfonds.core.forms import TextField


class RefuseForm(forms.Form):
    grounds = TextField(
        label=_("Motivering van de afwijzing"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Schrijf in gewone taal (B1) waarom de aanvraag wordt afgewezen. Bij een afwijzing "
            "wegens het subsidieplafond vult het systeem de motivering aan."
        ),
        error_messages={
            "required": _("Een afwijzing heeft een motivering nodig."),
            "max_length": _("Gebruik hoogstens 5000 tekens."),
        },
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

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        # The ceiling's grounds are fixed text (Awb 4:25); only then may the field stay empty.
        if self.data.get("ceiling_reached"):
            self.fields["grounds"].required = False


class HearingForm(forms.Form):
    facts = TextField(
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
    response = TextField(
        label=_("Uw reactie"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Schrijf uw reactie."),
            "max_length": _("Gebruik hoogstens 5000 tekens."),
        },
    )


class ReturnProposalForm(forms.Form):
    reason = TextField(
        label=_("Waarom keurt u het voorstel niet goed?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Geef een reden.")},
    )


class WindowForm(ShortForm):
    """The short form plus training, provider and cost: complete at submission (a window)."""

    training_title = TrainingForm.base_fields["training_title"]
    training_level = TrainingForm.base_fields["training_level"]
    training_sector = TrainingForm.base_fields["training_sector"]
    provider = TrainingForm.base_fields["provider"]
    cost = TrainingForm.base_fields["cost"]
    payer_1 = TrainingForm.base_fields["payer_1"]
    amount_1 = TrainingForm.base_fields["amount_1"]
    employer_name = TrainingForm.base_fields["employer_name"]

    field_order = [
        "first_name",
        "last_name",
        "email",
        "phone",
        "birth_date",
        "postcode",
        "municipality",
        "work_status",
        "education_level",
        "career_route",
        "training_title",
        "training_level",
        "training_sector",
        "provider",
        "cost",
        "payer_1",
        "amount_1",
        "employer_name",
        "question",
        "heard_via",
        "consent",
    ]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        data["cofinancing"] = clean_cofinancing(self, data, (1,))
        return data

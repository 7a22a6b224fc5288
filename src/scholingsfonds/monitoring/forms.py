"""Forms of monitoring: the targets of a fund and the outcome questionnaire."""

from django import forms
from django.utils.translation import gettext_lazy as _

from scholingsfonds.core.choices import choices
from scholingsfonds.core.domain.vocabulary import SECTORS
from scholingsfonds.core.forms import TextField
from scholingsfonds.monitoring.models import Certificate, Finished, JobChange


class TargetForm(forms.Form):
    vouchers_per_year = forms.IntegerField(
        label=_("Cheques per jaar"),
        required=False,
        min_value=0,
        max_value=1_000_000,
        help_text=_("Twents Fonds 2023–2026: 625 per jaar. Leeg laten als er geen doel is."),
        error_messages={"invalid": _("Vul een heel getal in, zoals 625.")},
    )
    conversations_per_year = forms.IntegerField(
        label=_("Gesprekken per jaar"),
        required=False,
        min_value=0,
        max_value=1_000_000,
        help_text=_("Twents Fonds 2023–2026: 1.375 loopbaangesprekken per jaar."),
        error_messages={"invalid": _("Vul een heel getal in, zoals 1375.")},
    )
    applications_per_year = forms.IntegerField(
        label=_("Aanvragen per jaar"),
        required=False,
        min_value=0,
        max_value=10_000_000,
        error_messages={"invalid": _("Vul een heel getal in.")},
    )
    priority_sectors = forms.MultipleChoiceField(
        label=_("Prioritaire sectoren"),
        required=False,
        choices=choices(SECTORS),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Cheques voor opleidingen in deze sectoren tellen mee voor het aandeel."),
    )
    priority_share_percent = forms.IntegerField(
        label=_("Doel: aandeel cheques in prioritaire sectoren (procent)"),
        required=False,
        min_value=0,
        max_value=100,
        error_messages={
            "invalid": _("Vul een heel getal in, zoals 45."),
            "max_value": _("Een aandeel is hoogstens 100 procent."),
        },
    )
    min_cell = forms.IntegerField(
        label=_("Kleinste aantal dat financiers en open data te zien krijgen"),
        min_value=3,
        max_value=100,
        help_text=_(
            "Kleinere aantallen worden niet getoond, net als aantallen waaruit ze af te "
            "leiden zijn. Gebruikelijk is 10."
        ),
        error_messages={
            "required": _("Vul een getal in, zoals 10."),
            "invalid": _("Vul een heel getal in, zoals 10."),
            "min_value": _("Kies minstens 3: kleinere aantallen zijn tot personen te herleiden."),
            "max_value": _("Kies hoogstens 100."),
        },
    )


class OutcomeForm(forms.Form):
    finished = forms.ChoiceField(
        label=_("Hebt u de opleiding afgerond?"),
        choices=Finished.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een antwoord.")},
    )
    certificate = forms.ChoiceField(
        label=_("Hebt u een diploma of certificaat gehaald?"),
        choices=Certificate.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een antwoord.")},
    )
    job_change = forms.ChoiceField(
        label=_("Wat is er sinds de opleiding veranderd in uw werk?"),
        choices=JobChange.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een antwoord.")},
    )
    comment = TextField(
        label=_("Wat heeft de opleiding voor u betekend?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Hoogstens 1000 tekens. Schrijf geen gegevens van anderen op."),
        error_messages={"max_length": _("Gebruik hoogstens 1000 tekens.")},
    )

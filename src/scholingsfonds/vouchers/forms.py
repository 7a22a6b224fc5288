"""Forms of the provider portal: they only check input; the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scholingsfonds.core.choices import choices
from scholingsfonds.core.domain.vocabulary import PROVIDER_KINDS, SECTORS, TRAINING_LEVELS
from scholingsfonds.core.forms import DateField, EuroField, KvkField, TextField
from scholingsfonds.funds.models import Occupation
from scholingsfonds.providers.models import Course, Provider


class StartForm(forms.Form):
    started_on = DateField(
        label=_("Startdatum van de opleiding"), help_text=_("Bijvoorbeeld 7-1-2027.")
    )
    course = forms.ModelChoiceField(
        label=_("Opleiding uit uw catalogus"),
        queryset=Course.objects.none(),
        required=False,
        empty_label=_("Kies de opleiding"),
    )

    def __init__(self, *args, provider: Provider | None = None, fixed: bool = False, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["started_on"].initial = timezone.localdate()
        if fixed or provider is None:
            del self.fields["course"]
        else:
            self.fields["course"].queryset = Course.objects.filter(
                provider=provider, status=Course.Status.ACTIVE
            )


class CompletionForm(forms.Form):
    completed_on = DateField(label=_("Einddatum van de opleiding"))
    attendance_percent = forms.IntegerField(
        label=_("Aanwezigheid (procent)"),
        min_value=0,
        max_value=100,
        required=False,
        error_messages={
            "invalid": _("Vul een heel getal tussen 0 en 100 in."),
            "min_value": _("Vul een heel getal tussen 0 en 100 in."),
            "max_value": _("Vul een heel getal tussen 0 en 100 in."),
        },
    )
    certificate = forms.BooleanField(
        label=_("De deelnemer heeft het certificaat of diploma behaald"), required=False
    )

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("attendance_percent") is None and not data.get("certificate"):
            raise forms.ValidationError(
                _("Vul de aanwezigheid in of vink aan dat het certificaat is behaald.")
            )
        return data


class NoShowForm(forms.Form):
    reason = TextField(
        label=_("Wat is er gebeurd?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Beschrijf kort wat er gebeurde.")},
    )
    attendance_percent = forms.IntegerField(
        label=_("Aanwezigheid tot nu toe (procent)"), min_value=0, max_value=100, required=False
    )


class InvoiceForm(forms.Form):
    number = forms.CharField(
        label=_("Uw factuurnummer"),
        max_length=40,
        error_messages={"required": _("Vul uw factuurnummer in.")},
    )
    invoice_date = DateField(label=_("Factuurdatum"))
    amount = EuroField(label=_("Bedrag (euro)"), min_cents=1)
    document = forms.FileField(
        label=_("Factuur (PDF, hoogstens 5 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": _("Voeg de factuur als PDF toe.")},
    )
    is_final = forms.BooleanField(
        label=_("Dit is de laatste factuur voor deze cheque"),
        required=False,
        initial=True,
        help_text=_("Na betaling gaat wat niet gefactureerd is terug naar het fonds."),
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["invoice_date"].initial = timezone.localdate()


class CreditNoteForm(forms.Form):
    number = forms.CharField(label=_("Nummer creditnota"), max_length=40)
    invoice_date = DateField(label=_("Datum creditnota"))
    amount = EuroField(label=_("Bedrag (euro)"), min_cents=1)
    document = forms.FileField(
        label=_("Creditnota (PDF, hoogstens 5 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    reason = forms.CharField(label=_("Reden"), max_length=200, required=False)


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    level = forms.ChoiceField(
        label=_("Niveau"), choices=choices(TRAINING_LEVELS, blank=_("Kies het niveau"))
    )
    hours = forms.IntegerField(
        label=_("Aantal uren (les en begeleiding)"), min_value=1, max_value=5000
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=choices(SECTORS, blank=_("Kies een sector"))
    )
    price = EuroField(label=_("Prijs (euro, inclusief examen en materiaal)"), min_cents=1)
    occupations = forms.ModelMultipleChoiceField(
        label=_("Beoogde beroepen"),
        queryset=Occupation.objects.order_by("title_nl"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )


class PriceForm(forms.Form):
    price = EuroField(label=_("Nieuwe prijs (euro)"), min_cents=1)
    valid_from = DateField(label=_("Geldig vanaf"))

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = timezone.localdate()


class ProviderApplyForm(forms.Form):
    name = forms.CharField(label=_("Naam van de opleider"), max_length=160)
    kind = forms.ChoiceField(
        label=_("Erkenning"),
        choices=choices(PROVIDER_KINDS),
        help_text=_(
            "Alleen een CRKBO-inschrijving is geen erkenning: het CRKBO is een register voor "
            "btw-vrijstelling, geen keurmerk."
        ),
    )
    institution_code = forms.CharField(
        label=_("BRIN/instellingscode (alleen bij OCW-erkenning)"), max_length=8, required=False
    )
    recognition_reference = forms.CharField(
        label=_("Nummer van het keurmerk of de erkenning"), max_length=80, required=False
    )
    crkbo_registered = forms.BooleanField(label=_("Ingeschreven in het CRKBO"), required=False)
    kvk_number = KvkField()
    iban = forms.CharField(label=_("IBAN"), max_length=40)
    account_holder = forms.CharField(label=_("Tenaamstelling van de rekening"), max_length=70)
    street = forms.CharField(label=_("Adres"), max_length=120, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    city = forms.CharField(label=_("Plaats"), max_length=80)
    email = forms.EmailField(label=_("Algemeen e-mailadres"))
    phone = forms.CharField(label=_("Telefoonnummer"), max_length=20, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    contact_name = forms.CharField(label=_("Uw naam (contactpersoon)"), max_length=120)
    contact_email = forms.EmailField(
        label=_("Uw e-mailadres"),
        help_text=_("Hiermee logt u later in op het opleidersportaal."),
    )

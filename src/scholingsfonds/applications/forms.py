"""The short form (individual route) and the employer form."""

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from scholingsfonds.core.choices import choices
from scholingsfonds.core.domain.vocabulary import (
    CAREER_ROUTES,
    EDUCATION_LEVELS,
    GENDERS,
    HEARD_VIA,
    MIGRATION_BACKGROUNDS,
    WORK_STATUSES,
)
from scholingsfonds.core.forms import BirthDateField, KvkField, PhoneField, PostcodeField, TextField
from scholingsfonds.funds.models import Municipality


def new_submission_key() -> str:
    return secrets.token_urlsafe(24)


class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Municipality) -> str:
        return obj.name


class SubmissionKeyMixin(forms.Form):
    # Rendered into the form once; a second submit of the same page carries the same key.
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)


class ShortForm(SubmissionKeyMixin):
    first_name = forms.CharField(
        label=_("Voornaam"),
        max_length=60,
        error_messages={
            "required": _("Vul uw voornaam in."),
            "max_length": _("Uw voornaam mag hoogstens 60 tekens hebben."),
        },
    )
    last_name = forms.CharField(
        label=_("Achternaam"),
        max_length=80,
        error_messages={
            "required": _("Vul uw achternaam in."),
            "max_length": _("Uw achternaam mag hoogstens 80 tekens hebben."),
        },
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        error_messages={
            "required": _("Vul uw e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
        },
        help_text=_("Hier sturen we de bevestiging en de uitnodiging naartoe."),
    )
    phone = PhoneField(label=_("Telefoonnummer"))
    birth_date = BirthDateField(
        label=_("Geboortedatum"),
        help_text=_("Dag-maand-jaar, bijvoorbeeld 31-12-1990. U moet 18 jaar of ouder zijn."),
    )
    postcode = PostcodeField(label=_("Postcode"))
    municipality = MunicipalityChoiceField(
        label=_("Woonplaats (gemeente)"),
        queryset=Municipality.objects.none(),
        empty_label=_("Kies uw gemeente"),
        error_messages={
            "required": _("Kies de gemeente waar u woont."),
            "invalid_choice": _("Kies een gemeente uit de lijst."),
        },
        help_text=_("Het fonds is voor inwoners van deze gemeenten."),
    )
    work_status = forms.ChoiceField(
        label=_("Wat is uw situatie?"),
        choices=choices(WORK_STATUSES),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies uw situatie."),
            "invalid_choice": _("Kies een van de mogelijkheden."),
        },
    )
    education_level = forms.ChoiceField(
        label=_("Hoogst behaalde opleiding"),
        choices=choices(EDUCATION_LEVELS, blank=_("Kies uw opleiding")),
        error_messages={
            "required": _("Kies uw hoogst behaalde opleiding."),
            "invalid_choice": _("Kies een van de mogelijkheden."),
        },
    )
    career_route = forms.ChoiceField(
        label=_("Wat wilt u bereiken?"),
        choices=choices(CAREER_ROUTES),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies wat u wilt bereiken."),
            "invalid_choice": _("Kies een van de mogelijkheden."),
        },
    )
    question = TextField(
        label=_("Uw vraag"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Welke opleiding wilt u doen, of waar wilt u hulp bij? Hoogstens 2000 tekens."),
        error_messages={
            "required": _("Vertel kort wat u wilt leren of waar u hulp bij wilt."),
            "max_length": _("Uw vraag is te lang: gebruik hoogstens 2000 tekens."),
        },
    )
    heard_via = forms.ChoiceField(
        label=_("Hoe kent u het fonds?"),
        choices=choices(HEARD_VIA, blank=_("Kies een antwoord")),
        error_messages={
            "required": _("Kies hoe u het fonds kent."),
            "invalid_choice": _("Kies een van de mogelijkheden."),
        },
    )
    # Vrijwillig, alleen voor statistiek: rendered as a separate optional fieldset.
    gender = forms.ChoiceField(
        label=_("Wat is uw geslacht?"),
        choices=choices(GENDERS),
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Kies een van de mogelijkheden.")},
    )
    migration_background = forms.ChoiceField(
        label=_("Bent u zelf, of is minstens één van uw ouders, in het buitenland geboren?"),
        choices=choices(MIGRATION_BACKGROUNDS),
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Kies een van de mogelijkheden.")},
    )
    consent = forms.BooleanField(
        label=_("Ik geef toestemming om mijn gegevens te gebruiken voor deze aanvraag"),
        error_messages={
            "required": _("Zonder uw toestemming kunnen we de aanvraag niet behandelen.")
        },
    )

    VOLUNTARY_FIELDS = ("gender", "migration_background")

    def __init__(self, *args, municipalities=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if municipalities is not None:
            self.fields["municipality"].queryset = municipalities

    def main_fields(self) -> list[forms.BoundField]:
        """The questions the process needs, without the voluntary ones and the consent."""
        skip = {*self.VOLUNTARY_FIELDS, "consent"}
        return [f for f in self.visible_fields() if f.name not in skip]

    def voluntary_fields(self) -> list[forms.BoundField]:
        """Questions for statistics only; skipping them changes nothing."""
        return [self[name] for name in self.VOLUNTARY_FIELDS]


class EmployerForm(SubmissionKeyMixin):
    company_name = forms.CharField(
        label=_("Naam van het bedrijf"),
        max_length=160,
        error_messages={
            "required": _("Vul de naam van het bedrijf in."),
            "max_length": _("De naam mag hoogstens 160 tekens hebben."),
        },
    )
    kvk_number = KvkField()
    municipality = MunicipalityChoiceField(
        label=_("Vestigingsplaats (gemeente)"),
        queryset=Municipality.objects.none(),
        empty_label=_("Kies de gemeente"),
        error_messages={
            "required": _("Kies de gemeente waar het bedrijf gevestigd is."),
            "invalid_choice": _("Kies een gemeente uit de lijst."),
        },
        help_text=_("De werkgeversroute is voor werkgevers die in de regio gevestigd zijn."),
    )
    contact_name = forms.CharField(
        label=_("Contactpersoon"),
        max_length=120,
        error_messages={
            "required": _("Vul de naam van de contactpersoon in."),
            "max_length": _("De naam mag hoogstens 120 tekens hebben."),
        },
    )
    email = forms.EmailField(
        label=_("E-mailadres contactpersoon"),
        max_length=254,
        error_messages={
            "required": _("Vul het e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in, zoals naam@bedrijf.nl."),
        },
    )
    phone = PhoneField(label=_("Telefoonnummer"))
    contribution_percent = forms.IntegerField(
        label=_("Uw bijdrage aan de opleidingskosten (procent)"),
        min_value=0,
        max_value=100,
        help_text=_("In de werkgeversroute betaalt u minstens de helft: 50 procent of meer."),
        error_messages={
            "required": _("Vul uw bijdrage in procenten in."),
            "invalid": _("Vul een heel getal in, zoals 50."),
            "min_value": _("De bijdrage kan niet lager zijn dan 0 procent."),
            "max_value": _("De bijdrage kan niet hoger zijn dan 100 procent."),
        },
    )
    consent = forms.BooleanField(
        label=_("De medewerkers weten van deze aanvraag en de gegevens kloppen."),
        error_messages={"required": _("Bevestig dat de medewerkers van de aanvraag weten.")},
    )

    def __init__(self, *args, municipalities=None, min_contribution=50, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.min_contribution = min_contribution
        if municipalities is not None:
            self.fields["municipality"].queryset = municipalities

    def clean_contribution_percent(self) -> int:
        value = self.cleaned_data["contribution_percent"]
        if value < self.min_contribution:
            raise forms.ValidationError(
                _("In de werkgeversroute betaalt de werkgever minstens %(min)s procent."),
                params={"min": self.min_contribution},
                code="too_low",
            )
        return value


class EmployeeForm(forms.Form):
    first_name = forms.CharField(
        label=_("Voornaam"),
        max_length=60,
        error_messages={
            "required": _("Vul de voornaam in."),
            "max_length": _("De voornaam mag hoogstens 60 tekens hebben."),
        },
    )
    last_name = forms.CharField(
        label=_("Achternaam"),
        max_length=80,
        error_messages={
            "required": _("Vul de achternaam in."),
            "max_length": _("De achternaam mag hoogstens 80 tekens hebben."),
        },
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        error_messages={
            "required": _("Vul het e-mailadres van de medewerker in."),
            "invalid": _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
        },
    )
    birth_date = BirthDateField(label=_("Geboortedatum"))
    education_level = forms.ChoiceField(
        label=_("Hoogst behaalde opleiding"),
        choices=choices(EDUCATION_LEVELS, blank=_("Kies de opleiding")),
        error_messages={
            "required": _("Kies de hoogst behaalde opleiding."),
            "invalid_choice": _("Kies een van de mogelijkheden."),
        },
    )
    career_route = forms.ChoiceField(
        label=_("Wat wil de medewerker bereiken?"),
        choices=choices(CAREER_ROUTES, blank=_("Kies een route")),
        error_messages={
            "required": _("Kies wat de medewerker wil bereiken."),
            "invalid_choice": _("Kies een van de mogelijkheden."),
        },
    )
    question = TextField(
        label=_("Welke opleiding?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Vertel kort welke opleiding de medewerker wil doen."),
            "max_length": _("Gebruik hoogstens 2000 tekens."),
        },
    )


class BaseEmployeeFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        filled = [f for f in self.forms if f.has_changed() and not self._should_delete_form(f)]
        if not filled:
            raise forms.ValidationError(_("Vul de gegevens van minstens één medewerker in."))
        seen: set[str] = set()
        for form in filled:
            email = (form.cleaned_data or {}).get("email", "").lower()
            if email and email in seen:
                # Next to the field, and once above the form.
                form.add_error("email", _("Elke medewerker heeft een eigen e-mailadres nodig."))
            seen.add(email)
        if any(f.errors.get("email") for f in filled) and len(seen) < len(filled):
            raise forms.ValidationError(_("Elke medewerker heeft een eigen e-mailadres nodig."))


EmployeeFormSet = forms.formset_factory(
    EmployeeForm, formset=BaseEmployeeFormSet, extra=3, max_num=20, validate_max=True
)

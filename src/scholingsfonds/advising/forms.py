"""Forms of the advisor's case page."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from scholingsfonds.advising.models import Conversation, Location, TimeSlot
from scholingsfonds.advising.selectors.cases import approved_providers
from scholingsfonds.advising.selectors.occupations import all_occupations
from scholingsfonds.core.choices import choices
from scholingsfonds.core.domain.vocabulary import (
    EDUCATION_LEVELS,
    PAYERS,
    SECTORS,
    TRAINING_LEVELS,
    WORK_STATUSES,
)
from scholingsfonds.core.forms import BsnField, DateField, EuroField, TextField


def _slot_label(slot: TimeSlot) -> str:
    start = timezone.localtime(slot.starts_at)
    end = timezone.localtime(slot.ends_at)
    return (
        f"{date_format(start, 'D j M Y')} {start:%H:%M}–{end:%H:%M}, "
        f"{slot.place_or_location} – {slot.advisor}"
    )


class WhenWhereForm(forms.Form):
    """A free time slot, or a date, time and place chosen by hand."""

    slot = forms.ModelChoiceField(
        label=_("Vrij tijdslot"),
        queryset=TimeSlot.objects.none(),
        required=False,
        empty_label=_("Geen tijdslot: ik kies zelf datum en tijd"),
        help_text=_("Of kies hieronder zelf datum, tijd en plaats."),
        error_messages={"invalid_choice": _("Dit tijdslot is niet (meer) vrij. Kies een ander.")},
    )
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
        choices=[("", _("Kies een plaats")), *Location.choices],
        error_messages={"required": _("Kies een plaats.")},
    )
    place = forms.CharField(
        label=_("Adres of plek"),
        required=False,
        max_length=200,
        help_text=_("Bijvoorbeeld: Leerwerkloket Enschede, Hengelosestraat 86."),
    )

    def __init__(self, *args, slots=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        field = self.fields["slot"]
        field.queryset = slots if slots is not None else TimeSlot.objects.none()
        field.label_from_instance = _slot_label
        if slots is not None and not slots:
            field.help_text = _(
                "Er zijn geen vrije tijdsloten (maak ze aan in de agenda). "
                "Kies hieronder zelf datum, tijd en plaats."
            )
        if self.is_bound and self.data.get(self.add_prefix("slot")):
            # A slot brings its own time and place.
            self.fields["scheduled_at"].required = False
            self.fields["location"].required = False

    def clean_scheduled_at(self):  # type: ignore[no-untyped-def]
        value = self.cleaned_data["scheduled_at"]
        if value is not None and value < timezone.now():
            raise forms.ValidationError(_("Kies een moment in de toekomst."), code="past")
        return value


class InviteForm(WhenWhereForm):
    pass


class RescheduleForm(WhenWhereForm):
    reason = forms.CharField(
        label=_("Reden van het verzetten"),
        required=False,
        max_length=300,
        help_text=_("Bijvoorbeeld: op verzoek van de aanvrager."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van het annuleren"),
        max_length=300,
        error_messages={"required": _("Vul de reden in.")},
    )


class ConversationForm(forms.Form):
    identity_checked = forms.BooleanField(
        label=_("Identiteitsbewijs gezien"),
        required=False,
        help_text=_("Nodig voor een aanvraag scholingscheque."),
    )
    notes = TextField(
        label=_("Verslag van het gesprek"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Schrijf kort op wat u besprak."),
            "max_length": _("Gebruik hoogstens 5000 tekens."),
        },
    )
    situation = TextField(
        label=_("Situatie"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Werk, inkomen, gezin, gezondheid: wat speelt er?"),
        error_messages={"max_length": _("Gebruik hoogstens 3000 tekens.")},
    )
    work_status = forms.ChoiceField(
        label=_("Werksituatie"),
        required=False,
        choices=choices(WORK_STATUSES, blank=_("Kies de werksituatie")),
    )
    education_level = forms.ChoiceField(
        label=_("Hoogst behaalde opleiding"),
        required=False,
        choices=choices(EDUCATION_LEVELS, blank=_("Kies het opleidingsniveau")),
    )
    question = TextField(
        label=_("Vraag van de persoon"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("In de woorden van de persoon; eerst ingevuld met de vraag van het formulier."),
        error_messages={"max_length": _("Gebruik hoogstens 2000 tekens.")},
    )
    skills = TextField(
        label=_("Vaardigheden en ervaring"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ook wat iemand kan uit ander werk, hobby's of vrijwilligerswerk."),
        error_messages={"max_length": _("Gebruik hoogstens 3000 tekens.")},
    )
    skill_sources = forms.MultipleChoiceField(
        label=_("Waar komen de vaardigheden vandaan?"),
        required=False,
        choices=Conversation.SkillSource.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    target_occupation = forms.ModelChoiceField(
        label=_("Beoogd beroep"),
        required=False,
        queryset=all_occupations(),
        empty_label=_("Nog niet bekend"),
    )
    advice = TextField(
        label=_("Gegeven advies"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Gebruik hoogstens 3000 tekens.")},
    )
    follow_up = TextField(
        label=_("Vervolgafspraken"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wie doet wat, en wanneer?"),
        error_messages={"max_length": _("Gebruik hoogstens 2000 tekens.")},
    )
    follow_up_on = DateField(
        label=_("Terugkomen op"),
        required=False,
        help_text=_("Datum waarop u contact opneemt, zoals 15-01-2027."),
    )
    outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        choices=Conversation.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies de uitkomst.")},
    )
    referral_kind = forms.ChoiceField(
        label=_("Soort doorverwijzing"),
        required=False,
        choices=[("", _("Kies waarheen")), *Conversation.ReferralKind.choices],
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

    SECTIONS = (
        (_("Gesprek"), ("identity_checked", "notes")),
        (_("Situatie en vraag"), ("situation", "work_status", "education_level", "question")),
        (_("Vaardigheden"), ("skills", "skill_sources")),
        (_("Advies en vervolg"), ("target_occupation", "advice", "follow_up", "follow_up_on")),
        (_("Uitkomst"), ("outcome", "referral_kind", "referral_to", "referral_reason")),
    )

    def sections(self):  # type: ignore[no-untyped-def]
        """The fields in groups, for a long form that stays readable."""
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("outcome") == Conversation.Outcome.REFERRAL:
            if not data.get("referral_to") and not data.get("referral_kind"):
                self.add_error("referral_to", _("Vul in naar wie u doorverwijst."))
            if not data.get("referral_reason"):
                self.add_error("referral_reason", _("Vul de reden van de doorverwijzing in."))
        if data.get("outcome") == Conversation.Outcome.VOUCHER and not data.get("identity_checked"):
            self.add_error(
                "identity_checked",
                _("Voor een aanvraag scholingscheque moet u het identiteitsbewijs zien."),
            )
        return data


EMPLOYER_NAME_FIELD = forms.CharField(
    label=_("Naam van de werkgever die meebetaalt"),
    required=False,
    max_length=120,
    help_text=_("Alleen als de werkgever meebetaalt: voor de totalen per werkgever."),
    error_messages={"max_length": _("Gebruik hoogstens 120 tekens.")},
)


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
        choices=choices(TRAINING_LEVELS, blank=_("Kies het niveau")),
        error_messages={"required": _("Kies het niveau.")},
    )
    training_sector = forms.ChoiceField(
        label=_("Sector van het beoogde werk"),
        choices=choices(SECTORS, blank=_("Kies een sector")),
        error_messages={"required": _("Kies de sector.")},
    )
    provider = forms.ModelChoiceField(
        label=_("Opleider"),
        queryset=approved_providers(),
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
        choices=choices(PAYERS, blank="—"),
    )
    amount_1 = EuroField(label=_("Bedrag (1)"), required=False)
    payer_2 = forms.ChoiceField(
        label=_("Wie betaalt mee? (2)"),
        required=False,
        choices=choices(PAYERS, blank="—"),
    )
    amount_2 = EuroField(label=_("Bedrag (2)"), required=False)
    payer_3 = forms.ChoiceField(
        label=_("Wie betaalt mee? (3)"),
        required=False,
        choices=choices(PAYERS, blank="—"),
    )
    amount_3 = EuroField(label=_("Bedrag (3)"), required=False)
    employer_name = EMPLOYER_NAME_FIELD
    bsn = BsnField(
        required=False,
        help_text=_(
            "Alleen invullen als het identiteitsbewijs is gecontroleerd en de aanvraag doorgaat."
        ),
    )

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        data["cofinancing"] = clean_cofinancing(self, data, (1, 2, 3))
        return data


def clean_cofinancing(form: forms.Form, data: dict, numbers: tuple[int, ...]) -> list[dict]:
    """The payer/amount pairs of a form as co-financing parts; errors next to the fields.

    The employer's name, when given, goes with the employer's part: the finance screens and
    funder reports total co-financing per employer, also on the individual route.
    """
    parts = []
    employer_name = data.get("employer_name") or ""  # tidied where it is stored
    for n in numbers:
        payer, amount = data.get(f"payer_{n}"), data.get(f"amount_{n}")
        if payer and amount is None:
            form.add_error(f"amount_{n}", _("Vul het bedrag van deze betaler in."))
        elif amount and not payer:
            form.add_error(f"payer_{n}", _("Kies wie dit bedrag betaalt."))
        elif payer and amount:
            part = {"payer": payer, "amount_cents": amount}
            if payer == "employer" and employer_name:
                part["employer_name"] = employer_name
            parts.append(part)
    if employer_name and not any(p["payer"] == "employer" for p in parts):
        form.add_error(
            "employer_name",
            _("Kies bij een betaler ‘Werkgever’ met een bedrag, of laat de naam leeg."),
        )
    cost = data.get("cost")
    if cost and sum(p["amount_cents"] for p in parts) > cost:
        form.add_error("amount_1", _("De bijdragen zijn samen hoger dan de kosten."))
    return parts


class LabourMarketTestForm(forms.Form):
    occupation = forms.ModelChoiceField(
        label=_("Beoogd beroep"),
        queryset=all_occupations(),
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


class SlotsForm(forms.Form):
    """A morning or afternoon cut into conversations, repeated weekly."""

    advisor = forms.ModelChoiceField(
        label=_("Adviseur"),
        queryset=None,
        empty_label=None,
    )
    day = DateField(label=_("Datum"), help_text=_("Zoals 30-11-2026."))
    start = forms.TimeField(
        label=_("Van"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=["%H:%M", "%H.%M"],
        error_messages={"required": _("Vul de begintijd in."), "invalid": _("Zoals 09:00.")},
    )
    end = forms.TimeField(
        label=_("Tot"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=["%H:%M", "%H.%M"],
        error_messages={"required": _("Vul de eindtijd in."), "invalid": _("Zoals 12:00.")},
    )
    minutes = forms.TypedChoiceField(
        label=_("Duur van een gesprek"),
        coerce=int,
        choices=[
            (30, _("30 minuten")),
            (45, _("45 minuten")),
            (60, _("1 uur")),
            (90, _("1,5 uur")),
        ],
        initial=45,
    )
    location = forms.ChoiceField(
        label=_("Plaats"),
        choices=[("", _("Kies een plaats")), *Location.choices],
        error_messages={"required": _("Kies een plaats.")},
    )
    place = forms.CharField(
        label=_("Adres of plek"),
        required=False,
        max_length=200,
        help_text=_("Komt in de uitnodiging, zoals: Leerwerkloket Enschede, Hengelosestraat 86."),
    )
    weeks = forms.IntegerField(
        label=_("Aantal weken"),
        min_value=1,
        max_value=12,
        initial=1,
        help_text=_("Herhaal elke week op dezelfde dag, hoogstens 12 weken."),
        error_messages={
            "min_value": _("Minstens 1 week."),
            "max_value": _("Hoogstens 12 weken."),
            "invalid": _("Vul een heel getal in."),
        },
    )

    def __init__(self, *args, advisors=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["advisor"].queryset = advisors
        self.fields["advisor"].error_messages["invalid_choice"] = _("Kies een adviseur.")

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("De eindtijd ligt na de begintijd."))
        if data.get("day") and data["day"] < timezone.localdate():
            self.add_error("day", _("Kies vandaag of een dag in de toekomst."))
        return data


class FinancingForm(forms.Form):
    """What the advisor asks for the advice across schemes; the rest comes from the case."""

    employer_contribution = EuroField(
        label=_("Bijdrage van de werkgever (euro)"),
        required=False,
        help_text=_("Wat de werkgever toezegt. Leeg of 0 als de werkgever niet meebetaalt."),
    )
    employer_sector = forms.ChoiceField(
        label=_("Sector van de werkgever"),
        required=False,
        choices=choices(SECTORS, blank=_("Geen werkgever of onbekend")),
        help_text=_("Bepaalt of een O&O-fonds van de sector meebetaalt."),
    )
    receives_benefit = forms.BooleanField(
        label=_("Heeft een uitkering (WW of bijstand)"),
        required=False,
    )

    def __init__(self, *args, yearly_schemes=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        # Schemes with a yearly limit: what the person already got elsewhere this year.
        for scheme in yearly_schemes:
            self.fields[f"received_{scheme.key}"] = EuroField(
                label=_("Dit jaar al ontvangen van %(name)s (euro)") % {"name": scheme.name_nl},
                required=False,
            )

    def received(self) -> dict[str, int]:
        return {
            name.removeprefix("received_"): value or 0
            for name, value in self.cleaned_data.items()
            if name.startswith("received_")
        }


class TargetForm(forms.Form):
    conversations = forms.IntegerField(
        label=_("Jaardoel gesprekken"),
        min_value=0,
        max_value=100_000,
        error_messages={
            "required": _("Vul het jaardoel in."),
            "invalid": _("Vul een heel getal in, zoals 1375."),
            "min_value": _("Het doel is 0 of meer."),
            "max_value": _("Dat is te veel."),
        },
    )


class OccupationImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-bestand"),
        help_text=_(
            "Kolommen: isco08 (of code), title_nl (of beroep), kansrijk (ja/nee); "
            "niet verplicht: title_en, tekortklasse, sector. Komma of puntkomma."
        ),
        error_messages={"required": _("Kies een bestand."), "empty": _("Het bestand is leeg.")},
    )
    region_name = forms.ChoiceField(
        label=_("Regio"), error_messages={"required": _("Kies de regio.")}
    )
    valid_from = DateField(
        label=_("Geldig vanaf"),
        help_text=_("De lijst tot nu toe eindigt de dag ervoor. Zoals 01-01-2027."),
    )
    source = forms.CharField(
        label=_("Bron"),
        max_length=200,
        help_text=_("Bijvoorbeeld: UWV Kansrijke beroepen Twente, januari 2027."),
        error_messages={"required": _("Vul de bron in.")},
    )

    MAX_BYTES = 1_000_000

    def __init__(self, *args, regions=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["region_name"].choices = [("", _("Kies de regio")), *[(r, r) for r in regions]]

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 1 MB."), code="too_big")
        raw = upload.read()
        for encoding in ("utf-8-sig", "cp1252"):
            # Spreadsheets save CSV as UTF-8 or, on older Windows machines, as cp1252.
            try:
                return upload.name, raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError(_("Het bestand is geen tekst (CSV)."), code="not_text")

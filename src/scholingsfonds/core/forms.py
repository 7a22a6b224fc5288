"""Form fields shared by every app: Dutch messages for the checks python-stdnum does."""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

REQUIRED = _("Dit veld is verplicht.")


class DutchDateInput(forms.DateInput):
    # A plain text field: the browser's date picker shows its own order (mm/dd on many
    # systems), which contradicts the Dutch example in the help text.
    input_type = "text"

    def __init__(self, attrs=None, format=None):  # type: ignore[no-untyped-def]  # noqa: A002
        super().__init__(attrs={"inputmode": "numeric", "autocomplete": "bday", **(attrs or {})})

    def format_value(self, value):  # type: ignore[no-untyped-def]
        # A typed but invalid value is returned as typed, so nothing the person typed is lost.
        if isinstance(value, date):
            return value.strftime("%d-%m-%Y")
        return value


class DateField(forms.DateField):
    widget = DutchDateInput
    default_error_messages = {
        "required": _("Vul een datum in."),
        "invalid": _("Vul een geldige datum in, zoals 31-12-1990."),
    }

    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"])
        super().__init__(**kwargs)


class BirthDateField(DateField):
    def validate(self, value):  # type: ignore[no-untyped-def]
        super().validate(value)
        if value and value > timezone.localdate():
            raise ValidationError(_("Een geboortedatum ligt niet in de toekomst."), code="future")
        if value and value.year < 1900:
            raise ValidationError(_("Vul een geboortedatum na 1900 in."), code="too_old")


class PostcodeField(forms.CharField):
    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Vul uw postcode in."),
                "max_length": _("Een postcode is zoals 7511 AB."),
            },
        )
        super().__init__(**kwargs)

    def clean(self, value):  # type: ignore[no-untyped-def]
        value = super().clean(value)
        if not value:
            return value
        try:
            return stdnum_postcode.validate(value)
        except StdnumError:
            raise ValidationError(
                _(
                    "Dit is geen geldige postcode. "
                    "Schrijf vier cijfers en twee letters, zoals 7511 AB."
                ),
                code="invalid",
            ) from None


class KvkField(forms.CharField):
    """KvK numbers are eight digits; the KvK publishes no check digit, so we check the form."""

    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("label", _("KvK-nummer"))
        kwargs.setdefault("error_messages", {"required": _("Vul het KvK-nummer in.")})
        super().__init__(**kwargs)

    def clean(self, value):  # type: ignore[no-untyped-def]
        value = super().clean(value)
        digits = re.sub(r"[\s.]", "", value or "")
        if value and not re.fullmatch(r"\d{8}", digits):
            raise ValidationError(
                _("Een KvK-nummer bestaat uit 8 cijfers, zoals 12345678."), code="invalid"
            )
        return digits


class BsnField(forms.CharField):
    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("max_length", 11)
        kwargs.setdefault("label", _("BSN"))
        super().__init__(**kwargs)

    def clean(self, value):  # type: ignore[no-untyped-def]
        value = super().clean(value)
        if not value:
            return value
        try:
            return stdnum_bsn.validate(value)
        except StdnumError:
            raise ValidationError(
                _("Dit BSN klopt niet. Controleer de 9 cijfers op het identiteitsbewijs."),
                code="invalid",
            ) from None


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "error_messages",
            {
                "max_length": _("Een telefoonnummer heeft hoogstens 20 tekens."),
            },
        )
        super().__init__(**kwargs)

    def clean(self, value):  # type: ignore[no-untyped-def]
        value = super().clean(value)
        if value and not re.fullmatch(r"\+?[\d\s\-()]{8,20}", value):
            raise ValidationError(
                _("Vul een telefoonnummer in met alleen cijfers, zoals 053 123 45 67."),
                code="invalid",
            )
        return value


class EuroField(forms.DecimalField):
    """An amount in euros as people type it (1.250,50 or 1250.50), cleaned to integer cents."""

    def __init__(self, *, min_cents: int = 0, max_cents: int = 10_000_000, **kwargs):  # type: ignore[no-untyped-def]
        self.min_cents = min_cents
        self.max_cents = max_cents
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Vul een bedrag in."),
                "invalid": _("Vul een bedrag in euro's in, zoals 1250 of 1250,50."),
            },
        )
        super().__init__(max_digits=12, decimal_places=2, **kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value):  # type: ignore[no-untyped-def]
        if isinstance(value, str):
            text = value.strip().replace("€", "").replace(" ", "")
            if "," in text:
                text = text.replace(".", "").replace(",", ".")
            elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
                # Dutch writes thousands with dots: 1.250 is twelve hundred and fifty euros.
                text = text.replace(".", "")
            value = text
        result = super().to_python(value)
        return result

    def clean(self, value):  # type: ignore[no-untyped-def]
        amount = super().clean(value)
        if amount is None:
            return None
        cents = int((amount * 100).to_integral_value())
        if cents < self.min_cents:
            raise ValidationError(_("Het bedrag is te laag."), code="min")
        if cents > self.max_cents:
            raise ValidationError(_("Het bedrag is te hoog."), code="max")
        return cents

    def prepare_value(self, value):  # type: ignore[no-untyped-def]
        if isinstance(value, int):
            return f"{value // 100},{value % 100:02d}"
        return value


class TextField(forms.CharField):
    """Long text: the length is checked on the server, not cut off by the browser.

    A browser's maxlength silently drops pasted text beyond the limit; we keep what was
    typed and say it is too long, so nothing is lost.
    """

    def widget_attrs(self, widget):  # type: ignore[no-untyped-def]
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs

"""Forms of the accounts app: asking for a one-time login link."""

from django import forms
from django.utils.translation import gettext_lazy


class LinkRequestForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mailadres"),
        max_length=254,
        error_messages={
            "required": gettext_lazy("Vul uw e-mailadres in."),
            "invalid": gettext_lazy("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
        },
    )

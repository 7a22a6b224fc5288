from django import forms
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from scholingsfonds.accounts.services import login_link_consume, login_link_send


class StaffLoginView(LoginView):
    template_name = "accounts/login.html"


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("core:home")


class LinkRequestForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mailadres"),
        max_length=254,
        error_messages={
            "required": gettext_lazy("Vul uw e-mailadres in."),
            "invalid": gettext_lazy("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
        },
    )


def request_link(request: HttpRequest) -> HttpResponse:
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        login_link_send(email=form.cleaned_data["email"])
        return render(request, "accounts/link_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/request_link.html", {"form": form})


def consume_link(request: HttpRequest, token: str) -> HttpResponse:
    next_path = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_path, allowed_hosts={request.get_host()}):
        next_path = ""  # only a path on this site: a link must not lead elsewhere
    if request.method != "POST":
        # A GET only shows a button: mail scanners that follow links must not use the token.
        return render(
            request, "accounts/consume_link.html", {"token": token, "next_path": next_path}
        )
    user = login_link_consume(token=token)
    if user is None:
        messages.error(request, _("Deze link is verlopen of al gebruikt. Vraag een nieuwe aan."))
        return redirect("accounts:request_link")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(next_path or "core:home")

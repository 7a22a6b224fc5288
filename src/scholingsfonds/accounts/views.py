from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from scholingsfonds.accounts.forms import LinkRequestForm
from scholingsfonds.accounts.services import login_link_consume, login_link_send


class StaffLoginView(LoginView):
    template_name = "accounts/login.html"


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("core:home")


def request_link(request: HttpRequest) -> HttpResponse:
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        login_link_send(email=form.cleaned_data["email"])
        return render(request, "accounts/link_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/request_link.html", {"form": form})


def consume_link(request: HttpRequest, token: str) -> HttpResponse:
    next_path = _local_path(request, request.GET.get("next", ""))
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
    return HttpResponseRedirect(next_path) if next_path else redirect("core:home")


def _local_path(request: HttpRequest, candidate: str) -> str:
    """An absolute path on this site, or "": a login link must never lead elsewhere."""
    if not candidate.startswith("/") or candidate.startswith("//"):
        return ""
    safe = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if safe else ""

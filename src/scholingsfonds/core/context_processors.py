from django.conf import settings
from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {
        "current_role": getattr(user, "role", "") if user and user.is_authenticated else "",
        "debug": settings.DEBUG,
    }

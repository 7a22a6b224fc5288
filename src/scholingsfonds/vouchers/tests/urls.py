"""The project's URLs plus the provider portal and its API, for tests, until config/urls.py
mounts them (the portal at /opleider/, the router in api/endpoints.py)."""

from django.urls import include, path, reverse
from django.urls.exceptions import NoReverseMatch
from ninja import NinjaAPI
from ninja.security import django_auth

from config.urls import urlpatterns as project_urlpatterns
from scholingsfonds.vouchers.api import provider_router

test_api = NinjaAPI(urls_namespace="provider-api-test", docs_url=None)
test_api.add_router("/provider", provider_router, auth=django_auth, url_name_prefix="t")

urlpatterns = [path("test-api/", test_api.urls), *project_urlpatterns]


def _mounted() -> bool:
    try:
        reverse("vouchers:portal", urlconf="config.urls")
    except NoReverseMatch:
        return False
    return True


if not _mounted():
    urlpatterns.insert(0, path("opleider/", include("scholingsfonds.vouchers.urls")))

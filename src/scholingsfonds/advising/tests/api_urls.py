"""A throwaway API with only the advice router, as the lead mounts it in /api/v1/."""

from django.urls import path
from ninja import NinjaAPI
from ninja.security import django_auth

from scholingsfonds.advising.api import build_router

api = NinjaAPI(title="Advies (test)", version="test", urls_namespace="advice-test", docs_url=None)
api.add_router("/advice", build_router(), auth=django_auth)

urlpatterns = [path("api/v1/", api.urls)]

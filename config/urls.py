from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from scholingsfonds.api.endpoints import api
from scholingsfonds.applications.views import home
from scholingsfonds.core.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("account/", include("scholingsfonds.accounts.urls")),
    path("fondsen/", include("scholingsfonds.applications.urls")),
    path("advies/", include("scholingsfonds.advising.urls")),
    path("financien/", include("scholingsfonds.payments.urls")),
    path("api/v1/", api.urls),
    path("dashboard/", include("scholingsfonds.monitoring.urls")),
    path("opleider/", include("scholingsfonds.vouchers.urls")),
    path("", include("scholingsfonds.decisions.urls")),
    path("", include(([path("", home, name="home")], "core"))),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

from django.urls import path

from scholingsfonds.payments import views

app_name = "payments"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("cheque/", views.voucher_lookup, name="voucher_lookup"),
    path("cheque/<str:code>/", views.voucher, name="voucher"),
    path("gemeenten/", views.risk, name="risk"),
    path("cofinanciering/", views.cofinancing, name="cofinancing"),
    path(
        "cofinanciering/<str:reference>/<str:payer>/bevestigen/",
        views.cofinancing_confirm_view,
        name="cofinancing_confirm",
    ),
    path("rapport/<int:source_id>/", views.report, name="report"),
    path("rapport/<int:source_id>.xlsx", views.report_xlsx_view, name="report_xlsx"),
    path("rapport/<int:source_id>.pdf", views.report_pdf_view, name="report_pdf"),
    path("herverdelen/", views.reallocate, name="reallocate"),
]

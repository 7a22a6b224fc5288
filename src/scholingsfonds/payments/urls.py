from django.urls import path

from scholingsfonds.payments import views, views_closing, views_providers

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
    path("afsluiten/", views_closing.closing, name="closing"),
    path(
        "eindverantwoording/<slug:slug>/",
        views_closing.final_report_view,
        name="final_report",
    ),
    path(
        "eindverantwoording/<slug:slug>.<str:extension>",
        views_closing.final_report_download,
        name="final_report_download",
    ),
    path("facturen/", views_providers.invoices, name="invoices"),
    path("facturen/<int:pk>.pdf", views_providers.invoice_document, name="invoice_document"),
    path(
        "facturen/<int:pk>/goedkeuren/",
        views_providers.invoice_approve_view,
        name="invoice_approve",
    ),
    path("facturen/<int:pk>/afwijzen/", views_providers.invoice_reject_view, name="invoice_reject"),
    path(
        "terugvorderingen/<int:pk>/afhandelen/",
        views_providers.recovery_settle_view,
        name="recovery_settle",
    ),
    path("betaalrondes/", views_providers.batches, name="batches"),
    path("betaalrondes/<str:number>/", views_providers.batch, name="batch"),
    path(
        "betaalrondes/<str:number>/goedkeuren/", views_providers.batch_approve, name="batch_approve"
    ),
    path("betaalrondes/<str:number>/betaald/", views_providers.batch_paid, name="batch_paid"),
    path(
        "betaalrondes/<str:number>/vervallen/", views_providers.batch_discard, name="batch_discard"
    ),
    path("betaalrondes/<str:number>/pain001.xml", views_providers.batch_xml, name="batch_xml"),
    path(
        "betaalrondes/<str:number>/boekingen.csv", views_providers.batch_csv_view, name="batch_csv"
    ),
    path("opleiders/", views_providers.providers, name="providers"),
    path("opleiders/<int:pk>/", views_providers.provider_detail, name="provider"),
    path("opleiders/<int:pk>/rekening/", views_providers.provider_bank, name="provider_bank"),
    path(
        "opleiders/<int:pk>/<str:action>/", views_providers.provider_status, name="provider_status"
    ),
    path(
        "opleidingen/<int:pk>/heropenen/",
        views_providers.course_reinstate_view,
        name="course_reinstate",
    ),
    path("markt/", views_providers.market, name="market"),
    path(
        "markt/<slug:slug>/<int:provider_id>/actie/",
        views_providers.market_action,
        name="market_action",
    ),
]

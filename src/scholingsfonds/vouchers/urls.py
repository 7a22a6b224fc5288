from django.urls import path

from scholingsfonds.vouchers import views

app_name = "vouchers"
urlpatterns = [
    path("", views.portal, name="portal"),
    path("aanmelden/", views.provider_apply_view, name="provider_apply"),
    path("cheque/", views.voucher_lookup, name="voucher_lookup"),
    path("cheque/<str:code>/", views.voucher_detail, name="voucher"),
    path("cheque/<str:code>/start/", views.confirm_start, name="confirm_start"),
    path("cheque/<str:code>/afronding/", views.report_completion, name="report_completion"),
    path("cheque/<str:code>/afgehaakt/", views.report_no_show, name="report_no_show"),
    path("cheque/<str:code>/factuur/", views.invoice_new, name="invoice_new"),
    path("factuur/<int:pk>/creditnota/", views.credit_note_new, name="credit_note_new"),
    path("factuur/<int:pk>.pdf", views.invoice_document, name="invoice_document"),
    path("opleidingen/", views.courses, name="courses"),
    path("opleidingen/<int:pk>/prijs/", views.course_price, name="course_price"),
]

from django.urls import path

from scholingsfonds.decisions import views

app_name = "decisions"
urlpatterns = [
    path("beoordelen/", views.queue, name="queue"),
    path("beoordelen/<str:reference>/", views.case, name="case"),
    path("beoordelen/<str:reference>/toekennen/", views.grant, name="grant"),
    path("beoordelen/<str:reference>/goedkeuren/", views.approve, name="approve"),
    path("beoordelen/<str:reference>/terugsturen/", views.return_proposal, name="return_proposal"),
    path("beoordelen/<str:reference>/afwijzen/", views.refuse, name="refuse"),
    path("beoordelen/<str:reference>/zienswijze/", views.hearing, name="hearing"),
    path("beoordelen/<str:reference>/zienswijze/sluiten/", views.hearing_done, name="hearing_done"),
    path("beoordelen/<str:reference>/aanvulling/", views.repair, name="repair"),
    path("fondsen/<slug:slug>/venster/", views.window_apply, name="window_apply"),
    path(
        "fondsen/<slug:slug>/venster/ontvangen/<str:reference>/",
        views.window_receipt,
        name="window_receipt",
    ),
    path("mijn/", views.my_applications, name="my_applications"),
    path("mijn/<str:reference>/", views.my_application, name="my_application"),
    path("brief/<str:reference>.pdf", views.letter, name="letter"),
    path("mijn/<str:reference>/teruggeven/", views.voucher_give_back, name="voucher_give_back"),
]

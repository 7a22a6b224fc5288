from django.urls import path

from scholingsfonds.advising import views

app_name = "advising"
urlpatterns = [
    path("", views.queue, name="queue"),
    # Fixed paths first: "<str:reference>/" would match them too.
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/tijdsloten/", views.slots_create, name="slots_create"),
    path("agenda/tijdsloten/<int:pk>/verwijderen/", views.slot_delete, name="slot_delete"),
    path("overzicht/", views.overview, name="overview"),
    path("overzicht/doel/", views.target_set, name="target_set"),
    path("regelingen/", views.schemes, name="schemes"),
    path("beroepen/", views.occupations, name="occupations"),
    path("beroepen/lijst/<int:pk>/", views.occupation_list, name="occupation_list"),
    path("beroepen/import/", views.occupation_import, name="occupation_import"),
    path(
        "beroepen/import/<int:pk>/",
        views.occupation_import_preview_page,
        name="occupation_import_preview",
    ),
    path(
        "beroepen/import/<int:pk>/toepassen/",
        views.occupation_import_apply_view,
        name="occupation_import_apply",
    ),
    path(
        "beroepen/import/<int:pk>/afwijzen/",
        views.occupation_import_discard_view,
        name="occupation_import_discard",
    ),
    path("<str:reference>/", views.case, name="case"),
    path("<str:reference>/uitnodigen/", views.invite, name="invite"),
    path("<str:reference>/gesprek/", views.record_conversation, name="record_conversation"),
    path("<str:reference>/gesprek/verzetten/", views.reschedule, name="reschedule"),
    path("<str:reference>/gesprek/annuleren/", views.cancel, name="cancel"),
    path("<str:reference>/gesprek/niet-verschenen/", views.no_show, name="no_show"),
    path("<str:reference>/opleiding/", views.record_training, name="record_training"),
    path("<str:reference>/financiering/", views.financing, name="financing"),
    path("<str:reference>/toets/", views.record_test, name="record_test"),
    path("<str:reference>/compleet/", views.mark_complete, name="mark_complete"),
    path("<str:reference>/aanvulling/", views.request_repair, name="request_repair"),
    path("<str:reference>/aanvulling/verwerkt/", views.resolve_repair, name="resolve_repair"),
    path("<str:reference>/adviesrapport.pdf", views.advice_summary, name="advice_summary"),
    path(
        "<str:reference>/adviesrapport/versturen/",
        views.advice_summary_mail,
        name="advice_summary_mail",
    ),
]

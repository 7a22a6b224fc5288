from django.urls import path

from scholingsfonds.advising import (
    views_agenda,
    views_case,
    views_conversation,
    views_financing,
    views_occupations,
    views_overview,
)

app_name = "advising"
urlpatterns = [
    path("", views_case.queue, name="queue"),
    # Fixed paths first: "<str:reference>/" would match them too.
    path("agenda/", views_agenda.agenda, name="agenda"),
    path("agenda/tijdsloten/", views_agenda.slots_create, name="slots_create"),
    path("agenda/tijdsloten/<int:pk>/verwijderen/", views_agenda.slot_delete, name="slot_delete"),
    path("overzicht/", views_overview.overview, name="overview"),
    path("overzicht/doel/", views_overview.target_set, name="target_set"),
    path("regelingen/", views_financing.schemes, name="schemes"),
    path("beroepen/", views_occupations.occupations, name="occupations"),
    path("beroepen/lijst/<int:pk>/", views_occupations.occupation_list, name="occupation_list"),
    path("beroepen/import/", views_occupations.occupation_import, name="occupation_import"),
    path(
        "beroepen/import/<int:pk>/",
        views_occupations.occupation_import_preview_page,
        name="occupation_import_preview",
    ),
    path(
        "beroepen/import/<int:pk>/toepassen/",
        views_occupations.occupation_import_apply_view,
        name="occupation_import_apply",
    ),
    path(
        "beroepen/import/<int:pk>/afwijzen/",
        views_occupations.occupation_import_discard_view,
        name="occupation_import_discard",
    ),
    path("<str:reference>/", views_case.case, name="case"),
    path("<str:reference>/uitnodigen/", views_conversation.invite, name="invite"),
    path(
        "<str:reference>/gesprek/",
        views_conversation.record_conversation,
        name="record_conversation",
    ),
    path("<str:reference>/gesprek/verzetten/", views_conversation.reschedule, name="reschedule"),
    path("<str:reference>/gesprek/annuleren/", views_conversation.cancel, name="cancel"),
    path("<str:reference>/gesprek/niet-verschenen/", views_conversation.no_show, name="no_show"),
    path("<str:reference>/opleiding/", views_case.record_training, name="record_training"),
    path("<str:reference>/financiering/", views_financing.financing, name="financing"),
    path("<str:reference>/toets/", views_case.record_test, name="record_test"),
    path("<str:reference>/compleet/", views_case.mark_complete, name="mark_complete"),
    path("<str:reference>/aanvulling/", views_case.request_repair, name="request_repair"),
    path("<str:reference>/aanvulling/verwerkt/", views_case.resolve_repair, name="resolve_repair"),
    path("<str:reference>/adviesrapport.pdf", views_case.advice_summary, name="advice_summary"),
    path(
        "<str:reference>/adviesrapport/versturen/",
        views_case.advice_summary_mail,
        name="advice_summary_mail",
    ),
]

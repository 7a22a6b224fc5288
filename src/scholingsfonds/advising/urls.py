from django.urls import path

from scholingsfonds.advising import views

app_name = "advising"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<str:reference>/", views.case, name="case"),
    path("<str:reference>/uitnodigen/", views.invite, name="invite"),
    path("<str:reference>/gesprek/", views.record_conversation, name="record_conversation"),
    path("<str:reference>/opleiding/", views.record_training, name="record_training"),
    path("<str:reference>/toets/", views.record_test, name="record_test"),
    path("<str:reference>/compleet/", views.mark_complete, name="mark_complete"),
    path("<str:reference>/aanvulling/", views.request_repair, name="request_repair"),
    path("<str:reference>/aanvulling/verwerkt/", views.resolve_repair, name="resolve_repair"),
]

from django.urls import path

from scholingsfonds.applications import views

app_name = "applications"
urlpatterns = [
    path("<slug:slug>/", views.fund_page, name="fund"),
    path("<slug:slug>/aanvragen/", views.apply_individual, name="apply"),
    path("<slug:slug>/werkgever/", views.apply_employer, name="apply_employer"),
    path("<slug:slug>/ontvangen/<str:reference>/", views.receipt, name="receipt"),
]

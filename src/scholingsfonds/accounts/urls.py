from django.urls import path

from scholingsfonds.accounts import views

app_name = "accounts"
urlpatterns = [
    path("inloggen/", views.StaffLoginView.as_view(), name="login"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("link/", views.request_link, name="request_link"),
    path("link/<str:token>/", views.consume_link, name="consume_link"),
]

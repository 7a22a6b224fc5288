from django.urls import path

from scholingsfonds.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tabel/<slug:key>.csv", views.table_csv, name="table_csv"),
    path("lijst/", views.drilldown, name="drilldown"),
    path("rapport/", views.report, name="report"),
    path("rapport.pdf", views.report_pdf, name="report_pdf"),
    path("rapport.xlsx", views.report_xlsx, name="report_xlsx"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data.zip", views.open_data_zip, name="open_data_zip"),
    path("doelen/<slug:slug>/", views.targets, name="targets"),
    path("vragenlijsten/", views.survey_list, name="surveys"),
    # The applicant's side of the outcome questionnaire.
    path("vragenlijst/<str:token>/", views.survey_answer, name="survey_answer"),
    path("mijn-vragenlijsten/", views.my_surveys, name="my_surveys"),
    path("mijn-vragenlijsten/<int:pk>/", views.my_survey, name="my_survey"),
]

from django.urls import path

from kariya.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.index, name="index"),
    path("templates/people.xlsx", views.template_xlsx, name="template_xlsx"),
    path("templates/people.csv", views.template_csv, name="template_csv"),
    path("import/", views.import_upload, name="import_upload"),
    path("imports/<uuid:public_id>/", views.import_report, name="import_report"),
    path("imports/<uuid:public_id>/errors.csv", views.import_errors_csv, name="import_errors_csv"),
    path("export/", views.export_form, name="export_form"),
    path("export/cases.csv", views.export_csv, name="export_csv"),
    path("export/cases.xlsx", views.export_xlsx, name="export_xlsx"),
]

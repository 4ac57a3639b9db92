"""Exports of the directory, mounted at ``/directory/export/`` (see ``export_views``)."""

from django.urls import path

from kariya.directory import export_views

app_name = "directory_export"

urlpatterns = [
    path("csv/", export_views.staff_csv, name="csv"),
    path("xlsx/", export_views.staff_xlsx, name="xlsx"),
    path("hsds/", export_views.staff_hsds, name="hsds"),
    path("public/csv/", export_views.public_csv, name="public_csv"),
    path("public/xlsx/", export_views.public_xlsx, name="public_xlsx"),
    path("public/hsds/", export_views.public_hsds, name="public_hsds"),
]

from django.urls import path

from kariya.public import staff_views

app_name = "information"

urlpatterns = [
    path("", staff_views.page_list, name="page_list"),
    path("new/", staff_views.page_create, name="page_create"),
    path("<slug:slug>/edit/", staff_views.page_edit, name="page_edit"),
]

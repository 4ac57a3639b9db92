from django.urls import path

from kariya.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.service_list, name="service_list"),
    path("new/", views.service_create, name="service_create"),
    path("moderation/", views.moderation_list, name="moderation_list"),
    path("stale/", views.stale_list, name="stale_list"),
    path("<uuid:public_id>/", views.service_detail, name="service_detail"),
    path("<uuid:public_id>/edit/", views.service_edit, name="service_edit"),
    path("<uuid:public_id>/submit/", views.service_submit, name="service_submit"),
    path("<uuid:public_id>/revise/", views.service_revise, name="service_revise"),
    path("<uuid:public_id>/discard/", views.service_discard, name="service_discard"),
    path("<uuid:public_id>/approve/", views.service_approve, name="service_approve"),
    path("<uuid:public_id>/reject/", views.service_reject, name="service_reject"),
    path("<uuid:public_id>/archive/", views.service_archive, name="service_archive"),
    path("<uuid:public_id>/restore/", views.service_restore, name="service_restore"),
    path("<uuid:public_id>/verify/", views.service_verify, name="service_verify"),
    path(
        "<uuid:public_id>/availability/",
        views.service_availability,
        name="service_availability",
    ),
]

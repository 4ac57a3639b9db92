from django.urls import path

from kariya.referrals import views

app_name = "referrals"

urlpatterns = [
    path("incoming/", views.inbox_incoming, name="inbox_incoming"),
    path("outgoing/", views.inbox_outgoing, name="inbox_outgoing"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("cases/<uuid:case_id>/pathways/", views.pathways, name="pathways"),
    path(
        "cases/<uuid:case_id>/new/<uuid:service_id>/",
        views.referral_create,
        name="referral_create",
    ),
    path(
        "cases/<uuid:case_id>/transfer/<uuid:service_id>/",
        views.transfer_create,
        name="transfer_create",
    ),
    path("<uuid:public_id>/", views.referral_detail, name="referral_detail"),
    path("<uuid:public_id>/<slug:action>/", views.referral_act, name="referral_act"),
]

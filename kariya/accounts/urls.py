from django.urls import path

from kariya.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<uuid:public_id>/", views.user_detail, name="user_detail"),
    path("users/<uuid:public_id>/edit/", views.user_edit, name="user_edit"),
    path("users/<uuid:public_id>/active/", views.user_set_active, name="user_set_active"),
    path("users/<uuid:public_id>/password/", views.user_password, name="user_password"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<uuid:public_id>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<uuid:public_id>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<uuid:public_id>/active/",
        views.organisation_set_active,
        name="organisation_set_active",
    ),
    path("organisations/<uuid:public_id>/offices/new/", views.office_create, name="office_create"),
    path("offices/<uuid:public_id>/edit/", views.office_edit, name="office_edit"),
]

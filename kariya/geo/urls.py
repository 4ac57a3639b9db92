from django.urls import path

from kariya.geo import views

app_name = "geo"

urlpatterns = [
    path("units/", views.adminunit_list, name="adminunit_list"),
    path("units/<str:pcode>/", views.adminunit_detail, name="adminunit_detail"),
    path("sites/", views.site_list, name="site_list"),
    path("sites/new/", views.site_create, name="site_create"),
    path("sites/<uuid:public_id>/", views.site_detail, name="site_detail"),
    path("sites/<uuid:public_id>/edit/", views.site_edit, name="site_edit"),
]

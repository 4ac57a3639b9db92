from django.urls import path

from kariya.geo import views

app_name = "geo"

urlpatterns = [
    path("units/", views.adminunit_list, name="adminunit_list"),
    path("sites/", views.site_list, name="site_list"),
]

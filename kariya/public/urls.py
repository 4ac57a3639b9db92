from django.urls import path, register_converter

from kariya.public import views


class LanguageConverter:
    """One of the public languages (fr, en, ha, ar)."""

    regex = "fr|en|ha|ar"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(LanguageConverter, "publang")

app_name = "public"

urlpatterns = [
    path("", views.root, name="root"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("<publang:lang>/", views.home, name="home"),
    path("<publang:lang>/services/", views.service_list, name="service_list"),
    path("<publang:lang>/services/<uuid:public_id>/", views.service_detail, name="service_detail"),
    path("<publang:lang>/services/<uuid:public_id>/card/", views.service_card, name="service_card"),
    path("<publang:lang>/rights/", views.rights_list, name="rights_list"),
    path("<publang:lang>/rights/<slug:slug>/", views.rights_page, name="rights_page"),
    path("<publang:lang>/directory.json", views.data, name="data"),
]

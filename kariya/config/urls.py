from django.contrib import admin
from django.urls import include, path

from kariya.core.views import set_language

urlpatterns = [
    path("", include("kariya.core.urls")),
    path("accounts/", include("kariya.accounts.urls")),
    path("geo/", include("kariya.geo.urls")),
    path("people/", include("kariya.people.urls")),
    path("exchange/", include("kariya.exchange.urls")),
    path("cases/", include("kariya.cases.urls")),
    path("directory/export/", include("kariya.directory.export_urls")),
    path("directory/", include("kariya.directory.urls")),
    path("referrals/", include("kariya.referrals.urls")),
    path("duplicates/", include("kariya.dedup.urls")),
    path("api/", include("kariya.api.urls")),
    path("public/", include("kariya.public.urls")),
    path("information/", include("kariya.public.staff_urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

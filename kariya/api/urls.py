"""The versioned REST API (``/api/v1/``) and its OpenAPI 3 schema (``/api/schema/``)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from kariya.accounts.api import MeView, OfficeViewSet, OrganisationViewSet
from kariya.cases.api import ApprovalViewSet, AssessmentViewSet, CaseViewSet, ScreeningViewSet
from kariya.core.api import DeclaredPermission
from kariya.dedup.api import DedupRunViewSet, DuplicateViewSet, MergeViewSet
from kariya.directory.api import DirectoryServiceViewSet
from kariya.geo.api import AdminUnitViewSet, CountryViewSet, SiteViewSet
from kariya.people.api import PersonViewSet
from kariya.referrals.api import ReferralViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("offices", OfficeViewSet, basename="office")
router.register("admin-units", AdminUnitViewSet, basename="adminunit")
router.register("countries", CountryViewSet, basename="country")
router.register("sites", SiteViewSet, basename="site")
router.register("persons", PersonViewSet, basename="person")
router.register("screenings", ScreeningViewSet, basename="screening")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("cases", CaseViewSet, basename="case")
router.register("approvals", ApprovalViewSet, basename="approval")
router.register("directory/services", DirectoryServiceViewSet, basename="directory-service")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("duplicates/runs", DedupRunViewSet, basename="dedup-run")
router.register("duplicates/merges", MergeViewSet, basename="dedup-merge")
router.register("duplicates", DuplicateViewSet, basename="duplicate")


class SchemaView(SpectacularAPIView):
    permission = "home.view"
    permission_classes = [DeclaredPermission]


class DocsView(SpectacularSwaggerSplitView):
    """The API's documentation page (Swagger UI, assets served by Kariya; CSP-compatible)."""

    permission = "home.view"
    permission_classes = [DeclaredPermission]


urlpatterns = [
    path("schema/", SchemaView.as_view(), name="api_schema"),
    path("docs/", DocsView.as_view(url_name="api_schema"), name="api_docs"),
    path(
        "v1/",
        include(
            ([path("me/", MeView.as_view(), name="me"), *router.urls], "v1"),
            namespace="v1",
        ),
    ),
]

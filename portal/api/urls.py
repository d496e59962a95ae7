from rest_framework.routers import DefaultRouter

from portal.api.views import OrganisationViewSet, PoleViewSet
from projects.api.views import PartnerViewSet, ProjectViewSet

router = DefaultRouter()
router.register("poles", PoleViewSet, basename="pole")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("projects", ProjectViewSet, basename="project")
router.register("partners", PartnerViewSet, basename="partner")

urlpatterns = router.urls

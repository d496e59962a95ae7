from django.urls import path
from rest_framework.routers import DefaultRouter

from portal.api.views import OrganisationViewSet, PoleViewSet
from projects.api.consortium import ContactViewSet, InvitationViewSet
from projects.api.documents import DocumentViewSet
from projects.api.history import ProjectHistoryView
from projects.api.labelling import (
    CommitteeSessionViewSet,
    ExpertAssignmentViewSet,
    SubmissionViewSet,
)
from projects.api.milestones import MilestoneViewSet
from projects.api.views import PartnerViewSet, ProjectViewSet

router = DefaultRouter()
router.register("poles", PoleViewSet, basename="pole")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("projects", ProjectViewSet, basename="project")
router.register("partners", PartnerViewSet, basename="partner")
router.register("contacts", ContactViewSet, basename="contact")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("committee-sessions", CommitteeSessionViewSet, basename="committee-session")
router.register("submissions", SubmissionViewSet, basename="submission")
router.register("expert-assignments", ExpertAssignmentViewSet, basename="expert-assignment")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("documents", DocumentViewSet, basename="document")

urlpatterns = router.urls
urlpatterns += [
    path("projects/<int:pk>/history/", ProjectHistoryView.as_view(), name="project-history"),
]

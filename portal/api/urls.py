from django.urls import path
from rest_framework.routers import DefaultRouter

from funding.api.figures import FundingFiguresView
from funding.api.views import (
    DisbursementViewSet,
    FunderViewSet,
    FundingLineViewSet,
    PrivateRoundViewSet,
    ProgrammeViewSet,
    RepaymentViewSet,
)
from outcomes.api.campaigns import CampaignViewSet
from outcomes.api.impact import ImpactFiguresView
from outcomes.api.reports import PartnerFiguresViewSet, ReportViewSet
from outcomes.api.summary import ProjectSummaryView
from outcomes.api.views import LaunchRevenueViewSet, LaunchViewSet
from portal.api.directory import DirectoryViewSet
from portal.api.matchmaking import ContactRequestViewSet, PostViewSet
from portal.api.memberships import (
    ApplicationViewSet,
    FeeCallViewSet,
    FeeScheduleViewSet,
    MembershipViewSet,
    PaymentViewSet,
)
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
router.register("directory", DirectoryViewSet, basename="directory")
router.register("posts", PostViewSet, basename="post")
router.register("contact-requests", ContactRequestViewSet, basename="contact-request")
router.register("applications", ApplicationViewSet, basename="application")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("fee-schedules", FeeScheduleViewSet, basename="fee-schedule")
router.register("fee-calls", FeeCallViewSet, basename="fee-call")
router.register("payments", PaymentViewSet, basename="payment")
router.register("projects", ProjectViewSet, basename="project")
router.register("partners", PartnerViewSet, basename="partner")
router.register("contacts", ContactViewSet, basename="contact")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("committee-sessions", CommitteeSessionViewSet, basename="committee-session")
router.register("submissions", SubmissionViewSet, basename="submission")
router.register("expert-assignments", ExpertAssignmentViewSet, basename="expert-assignment")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("documents", DocumentViewSet, basename="document")
router.register("funders", FunderViewSet, basename="funder")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("funding-lines", FundingLineViewSet, basename="funding-line")
router.register("disbursements", DisbursementViewSet, basename="disbursement")
router.register("repayments", RepaymentViewSet, basename="repayment")
router.register("private-rounds", PrivateRoundViewSet, basename="private-round")
router.register("launches", LaunchViewSet, basename="launch")
router.register("launch-revenues", LaunchRevenueViewSet, basename="launch-revenue")
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("reports", ReportViewSet, basename="report")
router.register("report-figures", PartnerFiguresViewSet, basename="report-figures")

urlpatterns = router.urls
urlpatterns += [
    path("projects/<int:pk>/history/", ProjectHistoryView.as_view(), name="project-history"),
    path("projects/<int:pk>/summary/", ProjectSummaryView.as_view(), name="project-summary"),
    path("funding/figures/", FundingFiguresView.as_view(), name="funding-figures"),
    path("impact/", ImpactFiguresView.as_view(), name="impact-figures"),
]

"""Outcome reports in the API, with the same permissions (``outcomes.permissions``) and
services as the pages.

A report shows to its consortium, to the staff of the campaign's pole and to the reviewers of
a funder of the project; for anyone else it does not exist (404). Each partner's contacts fill
their partner's figures (``/report-figures/<id>/``) and say when they are complete; the
leaders write the narrative, may correct any partner's figures and submit the report; the
pole's staff validate it (it is then locked) or return it with their comments. An action one
may not take is not found either (404); one refused because of the report's state, or
because figures are missing, is a 400 with the errors of each field. Send ``version`` with a
change to be told (409, with the newer values) when someone saved meanwhile."""

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.api.fields import CurrencyField, EuroAmountField

from .. import permissions, services
from ..models import OutcomeReport, PartnerFigures
from .filters import ReportFilter

WRITE_METHODS = ["get", "patch", "post", "head", "options"]
VERSION_HELP = (
    "On update, the version you edited: a change saved meanwhile by someone else makes the "
    "update fail with 409 and the newer values."
)


def _money(**kwargs):
    return serializers.DecimalField(max_digits=16, decimal_places=2, **kwargs)


def _fte(**kwargs):
    return serializers.DecimalField(max_digits=10, decimal_places=1, **kwargs)


# --- A partner's figures ------------------------------------------------------------------


class PartnerFiguresSerializer(serializers.ModelSerializer):
    """One partner's figures. Amounts are text in euros with at most two decimals; an empty
    figure (null) is one not given yet, zero is an answer."""

    organisation = serializers.CharField(source="partner.organisation.legal_name", read_only=True)
    revenue = EuroAmountField(allow_zero=True, allow_null=True, required=False)
    follow_on_funding = EuroAmountField(allow_zero=True, allow_null=True, required=False)
    currency = CurrencyField()
    missing = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The figures the report cannot be submitted without, not given yet.",
    )
    updated_by_name = serializers.CharField(
        source="updated_by", read_only=True, default=None, allow_null=True
    )
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)

    class Meta:
        model = PartnerFigures
        fields = [
            "id",
            "report",
            "partner",
            "organisation",
            *PartnerFigures.REQUIRED,
            "comments",
            "currency",
            "missing",
            "completed_at",
            "updated_at",
            "updated_by_name",
            "version",
        ]
        read_only_fields = ["report", "partner", "completed_at", "updated_at"]


class PartnerFiguresViewSet(
    mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """A partner's figures in an outcome report, seen by whoever sees the report. The
    partner's contacts and the project's leaders change them while the report is a draft or
    returned, and ``complete`` them."""

    serializer_class = PartnerFiguresSerializer
    http_method_names = WRITE_METHODS

    def get_queryset(self):
        return (
            permissions.visible_figures(self.request.user)
            .select_related("report__project", "partner__organisation", "updated_by")
            .order_by("report_id", "pk")
        )

    def get_object(self):
        figures = super().get_object()
        if self.action != "retrieve" and figures.partner_id not in (
            permissions.fillable_partner_ids(self.request.user, figures.report)
        ):
            raise Http404  # before reading the body: what one may not change is not found
        return figures

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("currency", None)
        version = data.pop("version", None)
        figures = services.save_figures(
            serializer.instance, by=self.request.user, expected_version=version, **data
        )
        serializer.instance = self.get_queryset().get(pk=figures.pk)

    @extend_schema(request=None, responses=PartnerFiguresSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """The partner's part is complete: every required figure must be given (400 lists
        those missing). The leaders may still correct it until they submit the report."""
        figures = self.get_object()
        services.complete_figures(figures, by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=figures.pk)).data)


# --- Reports ------------------------------------------------------------------------------


class ReportTotalsSerializer(serializers.Serializer):
    revenue = _money()
    export_share = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text="Weighted by each partner's revenue; null without revenue.",
    )
    jobs_created = _fte()
    jobs_maintained = _fte()
    patents_filed = serializers.IntegerField()
    patents_granted = serializers.IntegerField()
    publications = serializers.IntegerField()
    follow_on_funding = _money()


class SuggestedFiguresSerializer(serializers.Serializer):
    partner = serializers.IntegerField()
    revenue = _money(
        allow_null=True, help_text="The year's revenue of the partner's launches from the project."
    )
    follow_on_funding = _money(
        allow_null=True, help_text="The private rounds the partner closed that year."
    )


class ReportSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="campaign.year", read_only=True)
    pole = serializers.IntegerField(source="campaign.pole_id", read_only=True)
    pole_name = serializers.CharField(source="campaign.pole.name", read_only=True)
    due_date = serializers.DateField(source="campaign.due_date", read_only=True)
    project_acronym = serializers.CharField(source="project.acronym", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    submitted_by_name = serializers.CharField(
        source="submitted_by", read_only=True, default=None, allow_null=True
    )
    reviewed_by_name = serializers.CharField(
        source="reviewed_by", read_only=True, default=None, allow_null=True
    )
    totals = serializers.SerializerMethodField(
        help_text="The project's figures: the sums of its partners' (the current drafts)."
    )
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)

    class Meta:
        model = OutcomeReport
        fields = [
            "id",
            "campaign",
            "year",
            "pole",
            "pole_name",
            "due_date",
            "project",
            "project_acronym",
            "state",
            "state_label",
            "narrative",
            "spin_offs",
            "started_at",
            "submitted_at",
            "submitted_by_name",
            "reviewed_at",
            "reviewed_by_name",
            "review_comments",
            "totals",
            "version",
        ]
        read_only_fields = ["campaign", "project", "state", "review_comments"]

    @extend_schema_field(ReportTotalsSerializer)
    def get_totals(self, report):
        return ReportTotalsSerializer(services.report_totals(report.figures.all())).data


class ReportDetailSerializer(ReportSerializer):
    figures = PartnerFiguresSerializer(many=True, read_only=True)
    submitted_figures = serializers.JSONField(
        read_only=True,
        allow_null=True,
        help_text="The report as last submitted (each partner's figures and the totals), "
        "kept apart from the drafts that follow a return; null until submitted.",
    )
    suggested = serializers.SerializerMethodField(
        help_text="What the portal already knows of the figures of each partner whose figures "
        "the caller fills, for the year, to pre-fill them (from the launches the caller sees); "
        "empty for the others."
    )
    may_fill = serializers.SerializerMethodField(
        help_text="The caller may write the narrative and submit now."
    )
    fillable_partners = serializers.SerializerMethodField(
        help_text="The partners whose figures the caller may fill now."
    )
    may_review = serializers.SerializerMethodField(
        help_text="The caller may validate or return the report now."
    )

    class Meta(ReportSerializer.Meta):
        fields = [
            *ReportSerializer.Meta.fields,
            "figures",
            "submitted_figures",
            "suggested",
            "may_fill",
            "fillable_partners",
            "may_review",
        ]

    @extend_schema_field(SuggestedFiguresSerializer(many=True))
    def get_suggested(self, report):
        suggested = services.suggested_figures(report, self._user())
        rows = [{"partner": partner, **values} for partner, values in suggested.items()]
        return SuggestedFiguresSerializer(rows, many=True).data

    def _user(self):
        return self.context["request"].user

    def get_may_fill(self, report) -> bool:
        return report.is_editable and permissions.may_fill_report(self._user(), report)

    def get_fillable_partners(self, report) -> list[int]:
        if not report.is_editable:
            return []
        return sorted(permissions.fillable_partner_ids(self._user(), report))

    def get_may_review(self, report) -> bool:
        submitted = report.state == OutcomeReport.State.SUBMITTED
        return submitted and permissions.may_review_report(self._user(), report)


class ReportReturnSerializer(serializers.Serializer):
    comments = serializers.CharField(
        help_text="What should change: the consortium reads it.",
        error_messages={
            "required": _("Say what should change."),
            "blank": _("Say what should change."),
        },
    )


class ReportViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The outcome reports the caller may read. The leaders change the ``narrative`` and
    ``spin_offs`` while the report is a draft or returned, then ``submit`` it; the staff of
    the campaign's pole ``validate`` or ``return`` a submitted report."""

    filterset_class = ReportFilter
    http_method_names = WRITE_METHODS

    def get_queryset(self):
        figures = PartnerFigures.objects.select_related("partner__organisation", "updated_by")
        return (
            permissions.visible_reports(self.request.user)
            .select_related("campaign__pole", "project", "submitted_by", "reviewed_by")
            .prefetch_related(Prefetch("figures", queryset=figures))
            .order_by("-campaign__year", "campaign__pole__name", "project__acronym", "pk")
        )

    def get_serializer_class(self):
        if self.action == "list":
            return ReportSerializer
        return ReportDetailSerializer

    def get_object(self):
        report = super().get_object()
        user = self.request.user
        # Whatever the state: the services refuse a change the state forbids with their reason.
        if self.action in ("partial_update", "submit"):
            allowed = permissions.may_fill_report(user, report)
        elif self.action in ("validate", "return_report"):
            allowed = permissions.may_review_report(user, report)
        else:
            allowed = True
        if not allowed:
            raise Http404  # before reading the body: what one may not do is not found
        return report

    def _answer(self, report):
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        report = services.save_report(
            serializer.instance, by=self.request.user, expected_version=version, **data
        )
        serializer.instance = self.get_queryset().get(pk=report.pk)

    @extend_schema(request=None, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the report to the pole: every partner's required figures, the spin-offs and
        the narrative must be there (400 lists what is missing)."""
        report = self.get_object()
        services.submit_report(report, by=request.user)
        return self._answer(report)

    @extend_schema(request=None, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None):
        """Validate a submitted report: it is locked and its figures count."""
        report = self.get_object()
        services.validate_report(report, by=request.user)
        return self._answer(report)

    @extend_schema(request=ReportReturnSerializer, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request, pk=None):
        """Return a submitted report for changes, saying what should change (``comments``)."""
        report = self.get_object()
        serializer = ReportReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.return_report(
            report, comments=serializer.validated_data["comments"], by=request.user
        )
        return self._answer(report)

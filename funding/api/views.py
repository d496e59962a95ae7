"""The funding record in the API: the same permissions (``funding.permissions``) and services
as the project page's funding section.

Funders and programmes are read by everyone signed in. Funding lines, disbursements and
repayments are listed as their project's page shows them in full (a funder's reviewers: their
funders' lines); private rounds to the consortium and the project's poles. The leaders record
applications and private rounds; a funder's reviewers the decisions, disbursements and
repayments of their funders' lines. What a person may not do is not found (404); a bad
value is a 400 with the field's error; an update over a newer version of a line a 409 with
the newer values."""

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError

from portal.api.renderers import ExportMixin

from .. import permissions, services
from ..amounts import with_line_amounts
from ..models import Funder, FundingLine, Programme
from .serializers import (
    DisbursementSerializer,
    DisbursementUpdateSerializer,
    FunderSerializer,
    FundingLineSerializer,
    FundingLineUpdateSerializer,
    PrivateRoundSerializer,
    PrivateRoundUpdateSerializer,
    ProgrammeSerializer,
    RepaymentSerializer,
    RepaymentUpdateSerializer,
)

Status = FundingLine.Status
WRITE_METHODS = ["get", "post", "patch", "delete", "head", "options"]
CHANGES = ("update", "partial_update", "destroy")


class FunderViewSet(viewsets.ReadOnlyModelViewSet):
    """Every funder, public and private."""

    serializer_class = FunderSerializer
    queryset = Funder.objects.order_by("name", "pk")
    filterset_fields = ["kind", "category"]


class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    """Every funder's programmes (calls and schemes) with their instrument."""

    serializer_class = ProgrammeSerializer
    queryset = Programme.objects.select_related("funder").order_by("funder__name", "name", "pk")
    filterset_fields = ["funder", "instrument"]


def _visible_line(user, line):
    """``line`` if ``user`` sees it in full; otherwise it is not found."""
    if not permissions.funding_lines_for(user).filter(pk=line.pk).exists():
        raise Http404
    return line


class FundingLineViewSet(
    ExportMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Funding lines, one per project, partner and programme. The leaders create them (planned
    or applied) and change them until the funder decides (partner, programme, amount
    requested; applied or withdrawn); the funder's reviewers record the decision (granted or
    refused, amount granted — above the amount requested only with
    ``over_request_confirmed`` —, decision date, conditions), then correct it, record
    cancellations and close the line. Send ``version`` to be told (409) when someone else
    changed the line meanwhile."""

    filterset_fields = ["project", "partner", "programme", "funder", "status"]
    http_method_names = WRITE_METHODS
    export_filename = "funding lines"  # ?format=csv|xlsx: portal.api.renderers
    export_money = ("disbursed", "remaining", "repaid")

    def get_queryset(self):
        lines = permissions.funding_lines_for(self.request.user)
        return (
            with_line_amounts(lines)
            .select_related("partner__organisation", "programme", "funder", "project")
            .order_by("project_id", "pk")
        )

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return FundingLineUpdateSerializer
        return FundingLineSerializer

    def get_object(self):
        line = super().get_object()
        if self.action in CHANGES and not permissions.changeable_line_fields(
            self.request.user, line
        ):
            raise Http404  # before reading the body: what one may not change is not found
        return line

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = data.pop("project")
        data.pop("version", None)
        if not permissions.may_add_line(self.request.user, project):
            raise Http404
        if data.get("status", Status.PLANNED) not in (Status.PLANNED, Status.APPLIED):
            raise ValidationError(
                {"status": [_("A new line is planned or applied for; the funder decides.")]}
            )
        line = services.record_funding_line(project=project, by=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=line.pk)

    def perform_update(self, serializer):
        line, user = serializer.instance, self.request.user
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        allowed = permissions.changeable_line_fields(user, line)
        if not allowed:
            raise Http404
        refused = {
            name: [_("Not yours to change on this line now.")]
            for name in data
            if name not in allowed
        }
        if refused:
            raise ValidationError(refused)
        if "status" in data and not permissions.may_move_line(user, line, data["status"]):
            raise ValidationError(
                {
                    "status": [
                        _("You cannot move this line from “%(from)s” to “%(to)s”.")
                        % {
                            "from": Status(line.status).label,
                            "to": Status(data["status"]).label,
                        }
                    ]
                }
            )
        services.change_funding_line(line, expected_version=version, by=user, **data)
        serializer.instance = self.get_queryset().get(pk=line.pk)


class _TrancheViewSet(
    ExportMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    http_method_names = WRITE_METHODS
    may_record = None  # funding.permissions' check of the line

    def _check(self, line):
        _visible_line(self.request.user, line)
        if not type(self).may_record(self.request.user, line):
            raise Http404
        return line

    def get_object(self):
        tranche = super().get_object()
        if self.action in CHANGES:
            self._check(tranche.line)  # before reading the body
        return tranche


class DisbursementViewSet(_TrancheViewSet):
    """The tranches of the lines the caller sees in full. A funder's reviewers record them on
    their funders' granted (or closed) lines: their sum never exceeds the amount granted net
    of cancellations, their dates are not before the decision."""

    filterset_fields = ["line", "kind"]
    may_record = staticmethod(permissions.may_record_disbursement)

    def get_queryset(self):
        return (
            permissions.disbursements_for(self.request.user)
            .select_related("line")
            .order_by("line_id", "scheduled_date", "pk")
        )

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return DisbursementUpdateSerializer
        return DisbursementSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        line = self._check(data.pop("line"))
        serializer.instance = services.record_disbursement(line, by=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        services.change_disbursement(
            serializer.instance,
            expected_version=data.pop("version", None),
            by=self.request.user,
            **data,
        )

    def perform_destroy(self, instance):
        services.delete_disbursement(instance, by=self.request.user)


class RepaymentViewSet(_TrancheViewSet):
    """The repayments of the repayable advances and loans the caller sees in full, recorded
    by the funder's reviewers; they never exceed what was disbursed."""

    filterset_fields = ["line"]
    may_record = staticmethod(permissions.may_record_repayment)

    def get_queryset(self):
        return (
            permissions.repayments_for(self.request.user)
            .select_related("line")
            .order_by("line_id", "due_date", "pk")
        )

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return RepaymentUpdateSerializer
        return RepaymentSerializer

    def _check(self, line):
        line = FundingLine.objects.select_related("programme").get(pk=line.pk)
        return super()._check(line)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        line = self._check(data.pop("line"))
        serializer.instance = services.record_repayment(line, by=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        services.change_repayment(
            serializer.instance,
            expected_version=data.pop("version", None),
            by=self.request.user,
            **data,
        )

    def perform_destroy(self, instance):
        services.delete_repayment(instance, by=self.request.user)


class PrivateRoundViewSet(
    ExportMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Private money raised by the partner companies of the projects whose every funding line
    the caller sees (their consortium, their poles' staff). The leaders record them."""

    filterset_fields = ["partner", "kind"]
    http_method_names = WRITE_METHODS

    def get_queryset(self):
        return (
            permissions.private_rounds_for(self.request.user)
            .select_related("partner__organisation")
            .order_by("partner__project_id", "-closed_on", "pk")
        )

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return PrivateRoundUpdateSerializer
        return PrivateRoundSerializer

    def _check(self, partner):
        if not permissions.may_manage_private_rounds(self.request.user, partner.project):
            raise Http404
        return partner

    def get_object(self):
        private_round = super().get_object()
        if self.action in CHANGES:
            self._check(private_round.partner)  # before reading the body
        return private_round

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        partner = self._check(data.pop("partner"))
        serializer.instance = services.record_private_round(partner, by=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        services.change_private_round(
            serializer.instance,
            expected_version=data.pop("version", None),
            by=self.request.user,
            **data,
        )

    def perform_destroy(self, instance):
        services.delete_private_round(instance, by=self.request.user)

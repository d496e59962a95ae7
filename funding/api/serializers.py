"""The funding record in the API. Amounts are read and written as text in euros with at most
two decimals (``portal.api.fields.MoneyField``): ``1e9``, ``NaN``, ``1.234,56`` or a
negative amount answer 400 with the field's error."""

from django.db.models import Sum
from rest_framework import serializers

from portal.api.fields import MoneyField, VersionField
from projects.models import Partner, Project

from ..amounts import ZERO
from ..models import Disbursement, Funder, FundingLine, PrivateRound, Programme, Repayment


class FunderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Funder
        fields = ["id", "name", "kind", "category"]


class ProgrammeSerializer(serializers.ModelSerializer):
    funder_name = serializers.CharField(source="funder.name", read_only=True)

    class Meta:
        model = Programme
        fields = ["id", "funder", "funder_name", "name", "instrument", "description"]


def _paid_total(queryset):
    return queryset.filter(paid_date__isnull=False).aggregate(total=Sum("amount"))["total"]


class FundingLineSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.all())
    partner_name = serializers.CharField(source="partner.organisation.legal_name", read_only=True)
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    instrument = serializers.CharField(source="programme.instrument", read_only=True)
    funder_name = serializers.CharField(source="funder.name", read_only=True)
    amount_requested = MoneyField()
    amount_granted = MoneyField(required=False, allow_null=True)
    amount_cancelled = MoneyField(required=False, allow_zero=True)
    disbursed = serializers.SerializerMethodField(help_text="The tranches paid.")
    remaining = serializers.SerializerMethodField(
        help_text="Granted − cancelled − disbursed; null until granted."
    )
    repaid = serializers.SerializerMethodField(help_text="The repayments made.")

    class Meta:
        model = FundingLine
        fields = [
            "id",
            "project",
            "partner",
            "partner_name",
            "programme",
            "programme_name",
            "instrument",
            "funder",
            "funder_name",
            "status",
            "amount_requested",
            "amount_granted",
            "over_request_confirmed",
            "amount_cancelled",
            "decision_date",
            "conditions",
            "disbursed",
            "remaining",
            "repaid",
            "version",
        ]
        read_only_fields = ["funder"]
        extra_kwargs = {
            "version": {
                "read_only": False,
                "required": False,
                "help_text": "On update, the version you edited: a change saved meanwhile "
                "by someone else makes the update fail with 409 and the newer values.",
            }
        }
        # One line per partner and programme: the model's rule, reported by the service.
        validators = []

    def _amount(self, line, name, tranches):
        """An annotated amount (``funding.amounts``), or summed for a line read alone."""
        value = getattr(line, name, None)
        if value is None:
            value = _paid_total(tranches) or ZERO
        return value

    def get_disbursed(self, line) -> str:
        return f"{self._amount(line, 'disbursed', line.disbursements.all()):.2f}"

    def get_remaining(self, line) -> str | None:
        if line.status not in FundingLine.DECIDED:
            return None
        disbursed = self._amount(line, "disbursed", line.disbursements.all())
        return f"{line.amount_granted - line.amount_cancelled - disbursed:.2f}"

    def get_repaid(self, line) -> str:
        return f"{self._amount(line, 'repaid', line.repayments.all()):.2f}"


class FundingLineUpdateSerializer(FundingLineSerializer):
    """The leaders change the application's fields, the funder the decision's: which of them
    a person may send depends on the line (``funding.permissions``)."""

    class Meta(FundingLineSerializer.Meta):
        read_only_fields = ["project", "funder"]

    project = serializers.PrimaryKeyRelatedField(read_only=True)
    amount_requested = MoneyField(required=False)


class DisbursementSerializer(serializers.ModelSerializer):
    line = serializers.PrimaryKeyRelatedField(queryset=FundingLine.objects.all())
    project = serializers.IntegerField(source="line.project_id", read_only=True)
    amount = MoneyField()
    version = VersionField()

    class Meta:
        model = Disbursement
        fields = ["id", "project", "line", "kind", "amount", "scheduled_date", "paid_date"]
        fields += ["reference", "version"]


class DisbursementUpdateSerializer(DisbursementSerializer):
    line = serializers.PrimaryKeyRelatedField(read_only=True)
    amount = MoneyField(required=False)


class RepaymentSerializer(serializers.ModelSerializer):
    line = serializers.PrimaryKeyRelatedField(queryset=FundingLine.objects.all())
    project = serializers.IntegerField(source="line.project_id", read_only=True)
    amount = MoneyField()
    version = VersionField()

    class Meta:
        model = Repayment
        fields = ["id", "project", "line", "amount", "due_date", "paid_date", "version"]


class RepaymentUpdateSerializer(RepaymentSerializer):
    line = serializers.PrimaryKeyRelatedField(read_only=True)
    amount = MoneyField(required=False)


class PrivateRoundSerializer(serializers.ModelSerializer):
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    project = serializers.IntegerField(source="partner.project_id", read_only=True)
    partner_name = serializers.CharField(source="partner.organisation.legal_name", read_only=True)
    amount = MoneyField()
    version = VersionField()

    class Meta:
        model = PrivateRound
        fields = ["id", "project", "partner", "partner_name", "kind", "amount", "investors"]
        fields += ["closed_on", "version"]


class PrivateRoundUpdateSerializer(PrivateRoundSerializer):
    partner = serializers.PrimaryKeyRelatedField(read_only=True)
    amount = MoneyField(required=False)

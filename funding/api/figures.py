"""The funding dashboard's figures in the API: the same scope, filters and aggregates as the
page (``/funding/``), as JSON. Amounts are strings of euros with two decimals."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.models import Organisation

from .. import figures
from ..dashboard import DashboardFilterForm
from ..dashboard_views import dashboard_scope


def _money(**kwargs):
    return serializers.DecimalField(max_digits=16, decimal_places=2, **kwargs)


class AmountsSerializer(serializers.Serializer):
    requested = _money(help_text="Applied for: every line but the planned ones.")
    granted = _money(help_text="Decided by the funders: granted and closed lines.")
    cancelled = _money(help_text="Part of the granted amounts cancelled since.")
    disbursed = _money(help_text="Tranches paid.")
    remaining = _money(help_text="Granted − cancelled − disbursed.")


class TotalsSerializer(AmountsSerializer):
    lines = serializers.IntegerField()
    projects = serializers.IntegerField()


class BreakdownRowSerializer(AmountsSerializer):
    key = serializers.CharField(allow_null=True, help_text="Null: no decision yet / no theme.")
    label = serializers.CharField()


class SourceRowSerializer(BreakdownRowSerializer):
    kind = serializers.ChoiceField(choices=["public", "private"])


class SmeShareSerializer(serializers.Serializer):
    public_granted = _money(help_text="Granted by public funders, net of cancellations.")
    sme = _money(help_text="Of which to micro-enterprises and SMEs.")
    midcap = _money(help_text="Of which to mid-caps (ETI).")
    sme_midcap = _money()
    sme_percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    midcap_percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    sme_midcap_percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class LeverageSerializer(serializers.Serializer):
    public = _money(help_text="Granted by public funders, net of cancellations.")
    private_lines = _money(help_text="Granted by private funders, net of cancellations.")
    private_rounds = _money(help_text="Private rounds raised by the partners.")
    private = _money()
    ratio = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        allow_null=True,
        help_text="Private € per public €; null without public funding.",
    )


class FiguresSerializer(serializers.Serializer):
    pole = serializers.IntegerField(
        source="pole.pk", allow_null=True, help_text="The pole shown (pole staff), else null."
    )
    totals = TotalsSerializer()
    leverage = LeverageSerializer()
    sme_share = SmeShareSerializer()
    by_year = BreakdownRowSerializer(many=True)
    by_kind = BreakdownRowSerializer(many=True)
    by_source = SourceRowSerializer(many=True)
    by_instrument = BreakdownRowSerializer(many=True)
    by_theme = BreakdownRowSerializer(many=True)
    by_partner_category = BreakdownRowSerializer(many=True)


class FundingFiguresView(APIView):
    """The aggregates behind the funding dashboard: for pole staff, the projects submitted to
    their pole (``pole``, by default the first of theirs); for everyone else, the projects
    whose funding they see. Nothing outside counts."""

    @extend_schema(
        operation_id="funding_figures",
        parameters=[
            OpenApiParameter("pole", OpenApiTypes.INT, description="A pole you work for."),
            OpenApiParameter("year", OpenApiTypes.INT, description="Year of decision."),
            OpenApiParameter("theme", OpenApiTypes.INT, description="A theme's id."),
            OpenApiParameter(
                "category",
                OpenApiTypes.STR,
                enum=Organisation.Category.values,
                description="Category of the partner's organisation.",
            ),
        ],
        responses=FiguresSerializer,
    )
    def get(self, request):
        pole, _poles, projects = dashboard_scope(request.user, request.query_params.get("pole"))
        form = DashboardFilterForm(request.query_params or None, projects=projects, pole=pole)
        filters = form.filters()
        if form.errors:
            raise ValidationError(form.errors)
        data = figures.pole_dashboard(projects, pole=pole, **filters)
        return Response(FiguresSerializer({"pole": pole, **data}).data)

"""The impact figures in the API: the same scope, filters and aggregates as the pages
(``/impact/`` and ``/impact/national/``), as JSON. Amounts are strings of euros with two
decimals; an outcome figure says how many validated reports it rests on."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from funding.api.figures import LeverageSerializer, SmeShareSerializer, SourceRowSerializer
from funding.models import Funder
from portal.models import Organisation, Region

from .. import figures, permissions
from ..impact_dashboard import ImpactFilterForm
from ..impact_views import chosen_pole

YES = {"1", "true", "yes"}


def _money(**kwargs):
    return serializers.DecimalField(max_digits=16, decimal_places=2, **kwargs)


def _percent(**kwargs):
    return serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True, **kwargs)


class ImpactMoneyFigureSerializer(serializers.Serializer):
    value = _money(allow_null=True, help_text="Null when no validated report gives it.")
    reports = serializers.IntegerField(help_text="How many validated reports it rests on.")


class ImpactShareFigureSerializer(serializers.Serializer):
    value = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        allow_null=True,
        help_text="Percent, weighted by revenue; null without revenue.",
    )
    reports = serializers.IntegerField(help_text="How many validated reports it rests on.")


class ImpactFteFigureSerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    reports = serializers.IntegerField(help_text="How many validated reports it rests on.")


class ImpactCountFigureSerializer(serializers.Serializer):
    value = serializers.IntegerField(allow_null=True)
    reports = serializers.IntegerField(help_text="How many validated reports it rests on.")


class ImpactOutcomesSerializer(serializers.Serializer):
    reports = serializers.IntegerField(help_text="Validated reports counted.")
    revenue = ImpactMoneyFigureSerializer()
    export_share = ImpactShareFigureSerializer()
    jobs_created = ImpactFteFigureSerializer()
    jobs_maintained = ImpactFteFigureSerializer()
    patents_filed = ImpactCountFigureSerializer()
    patents_granted = ImpactCountFigureSerializer()
    publications = ImpactCountFigureSerializer()
    follow_on_funding = ImpactMoneyFigureSerializer()
    spin_offs = ImpactCountFigureSerializer()


class ImpactCategoryCountSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    members = serializers.IntegerField()


class ImpactMembersSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Organisations current members in the year.")
    by_category = ImpactCategoryCountSerializer(many=True)


class ImpactProjectsSerializer(serializers.Serializer):
    submitted = serializers.IntegerField()
    submitted_labelled = serializers.IntegerField(help_text="Of those submitted, labelled.")
    labelled = serializers.IntegerField()
    labelled_funded = serializers.IntegerField(help_text="Of those labelled, funded.")
    funded = serializers.IntegerField(help_text="Labelled, with a funding line granted.")
    labelled_rate = _percent(help_text="Labelled / submitted, percent.")
    funded_rate = _percent(help_text="Funded / labelled, percent.")


class ImpactSourceRowSerializer(SourceRowSerializer):
    kind = serializers.ChoiceField(choices=Funder.Kind.choices)
    net = _money(help_text="Granted − cancelled.")


class ImpactFundingSerializer(serializers.Serializer):
    by_source = ImpactSourceRowSerializer(many=True)
    leverage = LeverageSerializer()
    sme_share = SmeShareSerializer()
    granted = _money()


class ImpactKindCountSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    launches = serializers.IntegerField()


class ImpactLaunchesSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_kind = ImpactKindCountSerializer(many=True)


class ImpactRowSerializer(serializers.Serializer):
    key = serializers.CharField(
        allow_null=True, help_text="The year, theme id, region code, category or pole id."
    )
    label = serializers.CharField()
    members = serializers.IntegerField(allow_null=True, help_text="Null by theme.")
    submitted = serializers.IntegerField()
    labelled = serializers.IntegerField()
    funded = serializers.IntegerField()
    labelled_rate = _percent()
    funded_rate = _percent()
    budget = _money()
    public = _money()
    private = _money()
    leverage = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    launches = serializers.IntegerField()
    reports = serializers.IntegerField()
    revenue = _money()
    export_share = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    jobs_created = serializers.DecimalField(max_digits=12, decimal_places=1)
    jobs_maintained = serializers.DecimalField(max_digits=12, decimal_places=1)
    patents_filed = serializers.IntegerField()
    patents_granted = serializers.IntegerField()
    publications = serializers.IntegerField()
    follow_on_funding = _money()
    spin_offs = serializers.IntegerField()


class ImpactSerializer(serializers.Serializer):
    pole = serializers.IntegerField(
        source="pole.pk", allow_null=True, help_text="The pole shown; null in the national view."
    )
    national = serializers.BooleanField()
    members = ImpactMembersSerializer()
    projects = ImpactProjectsSerializer()
    budget = _money(help_text="Eligible costs of the labelled projects' partners.")
    funding = ImpactFundingSerializer()
    launches = ImpactLaunchesSerializer()
    outcomes = ImpactOutcomesSerializer()
    by_year = ImpactRowSerializer(many=True)
    by_theme = ImpactRowSerializer(many=True)
    by_region = ImpactRowSerializer(many=True)
    by_category = ImpactRowSerializer(many=True)
    by_pole = ImpactRowSerializer(many=True, help_text="The national view only.")


class ImpactFiguresView(APIView):
    """The impact figures of a pole you work for (``pole``, by default the first of yours), or,
    with ``national=1`` and the national permission, of every pole. Not found for anyone who
    sees no pole's figures."""

    @extend_schema(
        operation_id="impact_figures",
        parameters=[
            OpenApiParameter("pole", OpenApiTypes.INT, description="A pole you work for."),
            OpenApiParameter(
                "national", OpenApiTypes.BOOL, description="Every pole (national permission)."
            ),
            OpenApiParameter("year", OpenApiTypes.INT, description="The year of the figures."),
            OpenApiParameter("theme", OpenApiTypes.INT, description="A theme's id."),
            OpenApiParameter(
                "region", OpenApiTypes.STR, enum=Region.values, description="Organisation region."
            ),
            OpenApiParameter(
                "category",
                OpenApiTypes.STR,
                enum=Organisation.Category.values,
                description="Organisation category.",
            ),
        ],
        responses=ImpactSerializer,
    )
    def get(self, request):
        user = request.user
        national = str(request.query_params.get("national", "")).lower() in YES
        poles = list(permissions.impact_poles(user).order_by("name", "pk"))
        if national:
            if not permissions.may_view_national(user):
                raise NotFound
            pole = None
        else:
            pole = chosen_pole(poles, request.query_params.get("pole"))
            if pole is None:
                raise NotFound
            poles = [pole]
        form = ImpactFilterForm(request.query_params or None, poles=poles)
        filters = form.filters()
        if form.errors:
            raise ValidationError(form.errors)
        data = figures.cached_impact(poles, per_pole=national, **filters)
        return Response(ImpactSerializer({"pole": pole, "national": national, **data}).data)

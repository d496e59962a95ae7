from rest_framework import serializers

from portal.api.fields import VersionField
from portal.models import Organisation, Pole, Theme


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "name"]


class PoleSerializer(serializers.ModelSerializer):
    themes = ThemeSerializer(many=True, read_only=True)

    class Meta:
        model = Pole
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "regions",
            "label_start",
            "label_end",
            "themes",
        ]


class OrganisationSerializer(serializers.ModelSerializer):
    confirm_distinct = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="On creation: true when the organisation is not the existing one with a similar "
        "name (without it, a similar name answers 400 with the ids and names of the duplicates).",
    )
    version = VersionField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            "legal_name",
            "siren",
            "siret",
            "pic",
            "vat_number",
            "category",
            "headcount",
            "turnover",
            "region",
            "country",
            "city",
            "naf_code",
            "competences",
            "keywords",
            "description",
            "website",
            "directory_consent",
            "confirm_distinct",
            "version",
        ]
        # The model checks identifiers and uniqueness in full_clean, with the pages' messages.
        extra_kwargs = {
            "siren": {"validators": []},
            "siret": {"validators": []},
            "pic": {"validators": []},
            "naf_code": {"validators": []},
        }

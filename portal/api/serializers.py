from rest_framework import serializers

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
        ]
        # The model checks identifiers and uniqueness in full_clean, with the pages' messages.
        extra_kwargs = {
            "siren": {"validators": []},
            "siret": {"validators": []},
            "pic": {"validators": []},
            "naf_code": {"validators": []},
        }

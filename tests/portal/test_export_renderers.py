"""``?format=csv|xlsx`` on API lists (portal.api.renderers): every row the JSON would page
through, typed back from the serializer, neutralised against formulas."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from rest_framework import serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.test import APIRequestFactory

from portal.api.renderers import ExportMixin

pytestmark = pytest.mark.usefixtures("english")

ROWS = [
    {
        "name": "=2+5",
        "amount": Decimal("1234.50"),
        "share": Decimal("12.5"),
        "day": datetime.date(2026, 3, 15),
        "tags": ["a", "b"],
    },
    {"name": "Plain", "amount": None, "share": None, "day": None, "tags": []},
]


class RowSerializer(serializers.Serializer):
    name = serializers.CharField(label="Name")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    share = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    day = serializers.DateField(allow_null=True)
    tags = serializers.ListField(child=serializers.CharField())
    secret = serializers.CharField(write_only=True, required=False)


class OnePerPage(PageNumberPagination):
    page_size = 1


class RowViewSet(ExportMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = RowSerializer
    pagination_class = OnePerPage
    permission_classes = [AllowAny]
    authentication_classes = []
    filter_backends = []
    export_filename = "Some rows"

    def get_queryset(self):
        return ROWS


def _get(query):
    request = APIRequestFactory().get(f"/api/rows/{query}")
    response = RowViewSet.as_view({"get": "list"})(request)
    response.render()
    return response


def test_json_is_paged_as_before():
    data = _get("").data
    assert data["count"] == 2 and len(data["results"]) == 1


def test_csv_has_every_row_typed_and_neutralised():
    response = _get("?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="some-rows-')
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows == [
        ["Name", "Amount", "Share", "Day", "Tags"],
        ["'=2+5", "1234,50", "12,5", "2026-03-15", "a, b"],
        ["Plain", "", "", "", ""],
    ]


def test_xlsx_has_numbers_dates_and_no_formula():
    response = _get("?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    name, amount, share, day, tags = sheet[2]
    assert (name.value, name.data_type) == ("=2+5", "s")
    assert amount.value == pytest.approx(1234.5) and "€" in amount.number_format
    assert share.value == pytest.approx(12.5) and "€" not in share.number_format
    assert day.is_date
    assert sheet.max_row == 3


def test_an_empty_list_is_a_header_row(monkeypatch):
    monkeypatch.setattr(RowViewSet, "get_queryset", lambda self: [])
    text = _get("?format=csv").content.decode("utf-8-sig")
    assert text.strip() == "Name;Amount;Share;Day;Tags"

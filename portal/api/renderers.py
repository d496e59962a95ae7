"""``?format=csv`` and ``?format=xlsx`` on API lists, through ``portal.exports``.

Add ``ExportMixin`` to a viewset (before the DRF base class)::

    class FundingLineViewSet(ExportMixin, viewsets.ModelViewSet):
        export_filename = "funding lines"

Then ``GET /api/v1/funding-lines/?format=xlsx&status=granted`` answers the whole filtered list
(not one page) as a download: the same queryset, permissions and filters as the JSON, the
serializer's fields as columns (labels as headers, in the caller's language), decimals with
two places as euros, dates as dates, choices by their label, text neutralised against
formula injection.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer

from portal.exports import Column, csv_lines, safe_filename, xlsx_bytes

EXPORT_FORMATS = ("csv", "xlsx")


def _decimal(value):
    try:
        return Decimal(value) if value not in (None, "") else None
    except (InvalidOperation, TypeError):
        return value


def _date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return value


def _datetime(value):
    try:
        return (parse_datetime(value) or value) if value else None
    except (TypeError, ValueError):
        return value


def _flat(value):
    """Nested data (a list of ids, an object) in one cell."""
    if isinstance(value, list):
        return ", ".join(str(_flat(item)) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_flat(v)}" for k, v in value.items())
    return value


def _column(name, field, money=()):
    """A column reading ``name`` from a serialized row, turned back into its Python type."""
    label = field.label if field is not None and field.label else name.replace("_", " ")
    kind, convert = None, _flat
    if name in money:  # e.g. a SerializerMethodField writing euros as text
        kind, convert = "money", _decimal
    elif isinstance(field, serializers.ChoiceField):
        convert = _choice_label(field)
    elif isinstance(field, serializers.DecimalField):
        kind = "money" if field.decimal_places == 2 else "number"
        convert = _decimal
    elif isinstance(field, serializers.DateTimeField):
        convert = _datetime
    elif isinstance(field, serializers.DateField):
        convert = _date
    return Column(capfirst(label), lambda row: convert(row.get(name)), kind=kind)


def _choice_label(field):
    labels = {str(key): label for key, label in field.choices.items()}
    return lambda value: labels.get(str(value), value) if value is not None else None


def serializer_columns(view, rows):
    """The columns of the view's serializer (or of the rows' keys, for a plain view); the
    view's ``export_money`` names more fields holding euros."""
    serializer = (
        view.get_serializer() if view is not None and hasattr(view, "get_serializer") else None
    )
    money = getattr(view, "export_money", ())
    if serializer is not None and hasattr(serializer, "fields"):
        fields = {name: f for name, f in serializer.fields.items() if not f.write_only}
        return [_column(name, field, money) for name, field in fields.items()]
    return [_column(name, None) for name in (rows[0] if rows else {})]


def _rows(data):
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return data["results"]
    if isinstance(data, dict):  # one object, or an error
        return [data]
    return list(data or [])


class _ExportRenderer(BaseRenderer):
    def table(self, data, renderer_context):
        renderer_context = renderer_context or {}
        view, response = renderer_context.get("view"), renderer_context.get("response")
        rows = _rows(data)
        if response is not None and response.exception:
            columns = [_column(name, None) for name in (rows[0] if rows else {})]
        else:
            columns = serializer_columns(view, rows)
        if response is not None:
            stem = getattr(view, "export_filename", None) or getattr(view, "basename", "export")
            response["Content-Disposition"] = (
                f'attachment; filename="{safe_filename(stem, self.format)}"'
            )
        return [str(c.header) for c in columns], columns, rows


class CSVRenderer(_ExportRenderer):
    """French-spreadsheet CSV (see ``portal.exports``)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        headers, columns, rows = self.table(data, renderer_context)
        return "".join(csv_lines(headers, columns, rows)).encode("utf-8")


class XLSXRenderer(_ExportRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        headers, columns, rows = self.table(data, renderer_context)
        view = (renderer_context or {}).get("view")
        title = getattr(view, "export_filename", None) or "Export"
        return xlsx_bytes(headers, columns, rows, title)


class ExportMixin:
    """A viewset whose lists also answer ``?format=csv|xlsx``: every row, not one page.
    ``export_filename`` names the file; ``export_money`` the fields that are euros but not
    DecimalFields (a SerializerMethodField writing "1234.50")."""

    export_filename = None
    export_money = ()

    def get_renderers(self):
        return [*super().get_renderers(), CSVRenderer(), XLSXRenderer()]

    def paginate_queryset(self, queryset):
        renderer = getattr(self.request, "accepted_renderer", None)
        if renderer is not None and renderer.format in EXPORT_FORMATS:
            return None
        return super().paginate_queryset(queryset)

"""Server-side SVG charts: plain SVG that works inline in a page and in a WeasyPrint PDF.

Every chart is returned as a ``<figure>`` holding the SVG and, one click away, the table of the
numbers behind it (a ``<details>``). No JavaScript, no external library.

API (all return a ``SafeString`` ready for ``{{ chart }}`` in a template)::

    bar_chart(rows, *, title, description="", unit="€", label_header="", value_header="")
        rows: [(label, value), ...] — one horizontal bar per row, value written at its end.

    grouped_bar_chart(categories, series, *, title, description="", unit="€",
                      stacked=False, category_header="")
        categories: [label, ...]; series: {series name: [value per category], ...}
        e.g. grouped_bar_chart(["Bpifrance", "Region"],
                               {"requested": [...], "granted": [...], "disbursed": [...]},
                               title="Funding by source")
        stacked=True stacks the series on one bar per category (total written at its end).

    proportion_chart(parts, *, title, description="", unit="€")
        parts: [(label, value), ...] — one 100 % bar split into parts, each part's share and
        value written in a legend below it (e.g. SME / mid-cap / other of the public funding).

Common keywords: ``unit`` is "€" (money, written with the ``euros`` filter), "%" or "" (plain
number); ``with_table=False`` gives the bare ``<svg>`` (e.g. for a PDF that prints its own
table); ``caption=False`` leaves out the visible ``<figcaption>`` when the page already has a
heading. Values may be Decimal, int, float or None (None counts as 0).

Accessibility: the SVG has ``role="img"``, a ``<title>`` and a ``<desc>`` that summarises the
data; every bar carries its value as visible text; series are told apart by pattern as well as
colour (solid, stripes, dots, cross-hatch) and named in a legend; colours have at least 3:1
contrast on white. Sizes are in viewBox units so the chart scales with its container.
"""

import hashlib
import xml.etree.ElementTree as ET
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import translation
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from portal.templatetags.grappe import euros

WIDTH = 560
FONT = 13
CHAR = FONT * 0.62  # average glyph width, enough to size label columns without font metrics
ROW = 26
BAR = 18
PAD = 8
INK = "#1c2430"
MUTED = "#4a5563"
LINE = "#8792a2"
# Series colours: each ≥ 4.5:1 on white, and told apart by pattern too.
COLOURS = ["#5b2a86", "#0b6e4f", "#a14a00", "#1d4f91", "#4a5563", "#8a1c4a"]
PATTERNS = ["solid", "stripes", "dots", "crosshatch", "solid", "stripes"]


# Formatting ---------------------------------------------------------------------------------


def _number(value):
    if value is None or value == "":
        return Decimal(0)
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return Decimal(0)


def format_value(value, unit="€", decimals=None):
    """A value the reader's way: money with the ``euros`` filter, percentages, plain numbers;
    rounded half up (Django's number_format would cut the decimals off)."""
    amount = _number(value)
    if unit == "€":
        places = 0 if decimals is None else decimals
        return euros(_rounded(amount, places), places)
    if unit == "%":
        places = 1 if decimals is None else decimals
        text = number_format(_rounded(amount, places), decimal_pos=places)
        return f"{text}%" if translation.get_language() == "en" else f"{text}\u00a0%"
    places = decimals if decimals is not None else (0 if amount == amount.to_integral() else 2)
    text = number_format(
        _rounded(amount, places), decimal_pos=places, use_l10n=True, force_grouping=True
    )
    return f"{text}\u00a0{unit}" if unit else text


def _rounded(amount, places):
    return amount.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def _formatter(unit):
    """``format_value(value, unit)``, each value formatted once however often a chart writes
    it (its width, its description, its bar's tooltip and label)."""
    texts = {}

    def formatted(value):
        text = texts.get(value)
        if text is None:
            text = texts[value] = format_value(value, unit)
        return text

    return formatted


def format_share(part, whole):
    """part / whole as a percentage with one decimal ("—" when the whole is zero)."""
    part, whole = _number(part), _number(whole)
    if not whole:
        return "—"
    return format_value(part * 100 / whole, "%")


def _clip(text, chars):
    text = str(text)
    return text if len(text) <= chars else text[: max(chars - 1, 1)] + "…"


# SVG building -------------------------------------------------------------------------------


def _chart_id(kind, title, data):
    digest = hashlib.sha1(repr((kind, str(title), data)).encode()).hexdigest()[:8]
    return f"chart-{digest}"


def _svg(chart_id, height, title, desc):
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {WIDTH} {height:g}",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "class": "chart-svg",
            "font-family": "DejaVu Sans, Verdana, sans-serif",
            "font-size": str(FONT),
            # Sized by the stylesheets (.chart-svg): a style attribute breaks the page's CSP.
            "preserveAspectRatio": "xMinYMin meet",
        },
    )
    ET.SubElement(svg, "title", {"id": f"{chart_id}-title"}).text = str(title)
    ET.SubElement(svg, "desc", {"id": f"{chart_id}-desc"}).text = str(desc)
    return svg


def _defs(svg, chart_id, count):
    """One fill per series: a colour and a pattern, so print and colour-blind readers see it."""
    defs = ET.SubElement(svg, "defs")
    fills = []
    for index in range(count):
        colour = COLOURS[index % len(COLOURS)]
        pattern = PATTERNS[index % len(PATTERNS)]
        if pattern == "solid":
            fills.append(colour)
            continue
        pid = f"{chart_id}-p{index}"
        node = ET.SubElement(
            defs,
            "pattern",
            {"id": pid, "patternUnits": "userSpaceOnUse", "width": "6", "height": "6"},
        )
        ET.SubElement(node, "rect", {"width": "6", "height": "6", "fill": "#ffffff"})
        if pattern == "stripes":
            ET.SubElement(
                node,
                "path",
                {"d": "M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2", "stroke": colour, "stroke-width": "2"},
            )
        elif pattern == "dots":
            ET.SubElement(node, "circle", {"cx": "3", "cy": "3", "r": "1.8", "fill": colour})
        else:
            ET.SubElement(
                node,
                "path",
                {"d": "M0,0 L6,6 M6,0 L0,6", "stroke": colour, "stroke-width": "1.5"},
            )
        fills.append(f"url(#{pid})")
    return fills


def _text(parent, x, y, text, **attrs):
    node = ET.SubElement(
        parent,
        "text",
        {"x": f"{x:g}", "y": f"{y:g}", "fill": attrs.pop("fill", INK), **attrs},
    )
    node.text = str(text)
    return node


def _rect(parent, x, y, width, height, fill, stroke, tooltip):
    node = ET.SubElement(
        parent,
        "rect",
        {
            "x": f"{x:.1f}",
            "y": f"{y:.1f}",
            "width": f"{max(width, 0):.1f}",
            "height": f"{height:g}",
            "fill": fill,
            "stroke": stroke,
            "stroke-width": "1",
        },
    )
    ET.SubElement(node, "title").text = str(tooltip)
    return node


def _segment_label(svg, x, y, length, text):
    """A stacked segment's value, written on a white label when the segment is wide enough
    (the table has them all)."""
    width = len(text) * CHAR * 0.85 + 6
    if length < width + 4:
        return
    middle = x + length / 2
    ET.SubElement(
        svg,
        "rect",
        {"x": f"{middle - width / 2:.1f}", "y": f"{y + 3:g}", "width": f"{width:.1f}"}
        | {"height": f"{BAR - 6:g}", "rx": "2", "fill": "#ffffff"},
    )
    _text(svg, middle, y + BAR - 6, text, **{"text-anchor": "middle", "font-size": "11"})


def _legend(svg, y, names, fills):
    """Series names with their swatch, on as many lines as they need."""
    x = 0
    for name, fill, colour in zip(names, fills, COLOURS * 4, strict=False):
        width = 22 + len(str(name)) * CHAR + 18
        if x and x + width > WIDTH:
            x, y = 0, y + ROW
        _rect(svg, x, y, 16, 14, fill, colour, name)
        _text(svg, x + 22, y + 12, name)
        x += width
    return y + ROW


def _no_data_svg(chart_id, title):
    svg = _svg(chart_id, 60, title, _("No data to show."))
    ET.SubElement(
        svg,
        "rect",
        {"x": "0.5", "y": "0.5", "width": f"{WIDTH - 1}", "height": "59", "fill": "#ffffff"}
        | {"stroke": LINE, "stroke-dasharray": "4 3"},
    )
    _text(svg, WIDTH / 2, 35, _("No data to show."), **{"text-anchor": "middle", "fill": MUTED})
    return svg


def _serialise(svg):
    return ET.tostring(svg, encoding="unicode", short_empty_elements=True)


# Tables and wrapper -------------------------------------------------------------------------


def data_table(title, headers, rows, unit="€"):
    """The numbers behind a chart: first column labels, other columns values."""
    head = format_html(
        '<th scope="col">{}</th>{}',
        headers[0],
        format_html_join("", '<th scope="col" class="num">{}</th>', ((h,) for h in headers[1:])),
    )
    body = format_html_join(
        "",
        '<tr><th scope="row">{}</th>{}</tr>',
        (
            (
                row[0],
                format_html_join(
                    "",
                    '<td class="num">{}</td>',
                    ((format_value(v, unit, 2 if unit == "€" else None),) for v in row[1:]),
                ),
            )
            for row in rows
        ),
    )
    return format_html(
        '<table class="chart-table"><caption>{}</caption><thead><tr>{}</tr></thead>'
        "<tbody>{}</tbody></table>",
        title,
        head,
        body,
    )


def _figure(svg, title, table, *, caption, with_table):
    svg_html = mark_safe(_serialise(svg))
    if not with_table:
        return svg_html
    details = (
        format_html(
            '<details class="chart-data"><summary>{}</summary>{}</details>',
            _("Show the numbers behind this chart"),
            table,
        )
        if table
        else ""
    )
    figcaption = format_html("<figcaption>{}</figcaption>", title) if caption else ""
    return format_html('<figure class="chart">{}{}{}</figure>', figcaption, svg_html, details)


# Charts -------------------------------------------------------------------------------------


def bar_chart(
    rows,
    *,
    title,
    description="",
    unit="€",
    label_header="",
    value_header="",
    caption=True,
    with_table=True,
) -> SafeString:
    """Horizontal bars, one per (label, value) row, in the order given, value at the bar's end."""
    rows = [(str(label), _number(value)) for label, value in rows]
    chart_id = _chart_id("bar", title, rows)
    top = max((value for _label, value in rows), default=Decimal(0))
    if not rows or top <= 0:
        return _figure(
            _no_data_svg(chart_id, title), title, None, caption=caption, with_table=with_table
        )

    label_chars = min(max(len(label) for label, _v in rows), 24)
    label_width = label_chars * CHAR + 2 * PAD
    value_width = max(len(format_value(v, unit)) for _l, v in rows) * CHAR + PAD
    plot = WIDTH - label_width - value_width
    height = len(rows) * ROW + PAD

    biggest = max(rows, key=lambda row: row[1])
    desc = " ".join(
        part
        for part in (
            str(description),
            _("Bar chart of %(count)d items; the largest is %(label)s with %(value)s.")
            % {"count": len(rows), "label": biggest[0], "value": format_value(biggest[1], unit)},
        )
        if part
    )
    svg = _svg(chart_id, height, title, desc)
    for index, (label, value) in enumerate(rows):
        y = PAD / 2 + index * ROW
        length = float(max(value, 0) / top) * plot
        _text(
            svg, label_width - PAD, y + BAR - 5, _clip(label, label_chars), **{"text-anchor": "end"}
        )
        _rect(
            svg,
            label_width,
            y,
            length,
            BAR,
            COLOURS[0],
            COLOURS[0],
            f"{label}: {format_value(value, unit)}",
        )
        _text(svg, label_width + length + 4, y + BAR - 5, format_value(value, unit))
    ET.SubElement(
        svg,
        "line",
        {"x1": f"{label_width:g}", "x2": f"{label_width:g}", "y1": "0", "y2": f"{height:g}"}
        | {"stroke": LINE},
    )
    table = data_table(title, [label_header or _("Item"), value_header or title], rows, unit)
    return _figure(svg, title, table, caption=caption, with_table=with_table)


def grouped_bar_chart(
    categories,
    series,
    *,
    title,
    description="",
    unit="€",
    stacked=False,
    category_header="",
    caption=True,
    with_table=True,
) -> SafeString:
    """Horizontal bars per category, one per series (or stacked): e.g. requested / granted /
    disbursed by source. ``series`` maps a series name to its values, one per category."""
    categories = [str(c) for c in categories]
    names = [str(name) for name in series]
    values = [[_number(v) for v in series[name]] for name in series]
    for column in values:
        if len(column) != len(categories):
            raise ValueError("Each series needs one value per category.")
    chart_id = _chart_id("stacked" if stacked else "grouped", title, (categories, names, values))
    totals = [sum((col[i] for col in values), Decimal(0)) for i in range(len(categories))]
    top = max(totals if stacked else [v for col in values for v in col], default=Decimal(0))
    if not categories or not names or top <= 0:
        return _figure(
            _no_data_svg(chart_id, title), title, None, caption=caption, with_table=with_table
        )

    formatted = _formatter(unit)
    label_chars = min(max(len(c) for c in categories), 22)
    label_width = label_chars * CHAR + 2 * PAD
    shown = totals if stacked else [v for col in values for v in col]
    value_width = max(len(formatted(v)) for v in shown) * CHAR + PAD
    plot = WIDTH - label_width - value_width
    group = ROW if stacked else len(names) * (BAR + 2) + 10

    lines = [
        str(description),
        _("Series: %(names)s.") % {"names": ", ".join(names)},
    ]
    for i, category in enumerate(categories):
        parts = ", ".join(
            f"{name} {formatted(col[i])}" for name, col in zip(names, values, strict=True)
        )
        lines.append(f"{category}: {parts}.")
    desc = " ".join(line for line in lines if line)

    legend_lines = 1 + sum(len(n) for n in names) * CHAR // WIDTH
    height = len(categories) * group + PAD + (legend_lines + 1) * ROW
    svg = _svg(chart_id, height, title, desc)
    fills = _defs(svg, chart_id, len(names))
    y = _legend(svg, PAD / 2, names, fills) + PAD / 2
    for i, category in enumerate(categories):
        _text(
            svg,
            label_width - PAD,
            y + BAR - 5,
            _clip(category, label_chars),
            **{"text-anchor": "end"},
        )
        if stacked:
            x = label_width
            for name, col, fill, colour in zip(names, values, fills, COLOURS * 4, strict=False):
                length = float(max(col[i], 0) / top) * plot
                _rect(
                    svg,
                    x,
                    y,
                    length,
                    BAR,
                    fill,
                    colour,
                    f"{category}, {name}: {formatted(col[i])}",
                )
                _segment_label(svg, x, y, length, formatted(col[i]))
                x += length
            _text(svg, x + 4, y + BAR - 5, formatted(totals[i]))
        else:
            for j, (name, col) in enumerate(zip(names, values, strict=True)):
                bar_y = y + j * (BAR + 2)
                length = float(max(col[i], 0) / top) * plot
                colour = COLOURS[j % len(COLOURS)]
                _rect(
                    svg,
                    label_width,
                    bar_y,
                    length,
                    BAR,
                    fills[j],
                    colour,
                    f"{category}, {name}: {formatted(col[i])}",
                )
                _text(
                    svg,
                    label_width + length + 4,
                    bar_y + BAR - 5,
                    formatted(col[i]),
                    fill=INK,
                )
        y += group
    ET.SubElement(
        svg,
        "line",
        {"x1": f"{label_width:g}", "x2": f"{label_width:g}", "y1": f"{ROW:g}", "y2": f"{y:g}"}
        | {"stroke": LINE},
    )
    svg.set("viewBox", f"0 0 {WIDTH} {y + PAD / 2:g}")
    headers = [category_header or _("Item"), *names]
    rows = [(category, *(col[i] for col in values)) for i, category in enumerate(categories)]
    if stacked:
        headers.append(_("Total"))
        rows = [(*row, totals[i]) for i, row in enumerate(rows)]
    table = data_table(title, headers, rows, unit)
    return _figure(svg, title, table, caption=caption, with_table=with_table)


def stacked_bar_chart(categories, series, **kwargs) -> SafeString:
    """``grouped_bar_chart(..., stacked=True)``: series add up to one bar per category."""
    return grouped_bar_chart(categories, series, stacked=True, **kwargs)


def proportion_chart(
    parts,
    *,
    title,
    description="",
    unit="€",
    label_header="",
    caption=True,
    with_table=True,
) -> SafeString:
    """One bar split in proportion to the parts, with each part's share and value in a legend."""
    parts = [(str(label), _number(value)) for label, value in parts]
    chart_id = _chart_id("proportion", title, parts)
    whole = sum((max(v, 0) for _l, v in parts), Decimal(0))
    if not parts or whole <= 0:
        return _figure(
            _no_data_svg(chart_id, title), title, None, caption=caption, with_table=with_table
        )

    lines = [str(description)] + [
        f"{label}: {format_share(value, whole)} ({format_value(value, unit)})."
        for label, value in parts
    ]
    height = 36 + len(parts) * ROW + PAD
    svg = _svg(chart_id, height, title, " ".join(line for line in lines if line))
    fills = _defs(svg, chart_id, len(parts))
    x = 0.0
    for (label, value), fill, colour in zip(parts, fills, COLOURS * 4, strict=False):
        length = float(max(value, 0) / whole) * WIDTH
        _rect(svg, x, PAD / 2, length, 28, fill, colour, f"{label}: {format_share(value, whole)}")
        x += length
    y = 36 + PAD
    for (label, value), fill, colour in zip(parts, fills, COLOURS * 4, strict=False):
        _rect(svg, 0, y, 16, 14, fill, colour, label)
        _text(
            svg, 22, y + 12, f"{label} — {format_share(value, whole)} ({format_value(value, unit)})"
        )
        y += ROW
    body = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td class="num">{}</td><td class="num">{}</td></tr>',
        (
            (
                label,
                format_value(value, unit, 2 if unit == "€" else None),
                format_share(value, whole),
            )
            for label, value in parts
        ),
    )
    table = format_html(
        '<table class="chart-table"><caption>{}</caption><thead><tr><th scope="col">{}</th>'
        '<th scope="col" class="num">{}</th><th scope="col" class="num">{}</th></tr></thead>'
        "<tbody>{}</tbody></table>",
        title,
        label_header or _("Item"),
        _("Amount") if unit == "€" else _("Value"),
        _("Share"),
        body,
    )
    return _figure(svg, title, table, caption=caption, with_table=with_table)

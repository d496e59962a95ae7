"""Widgets drawn in Python: the same HTML as Django's templates, without a template render
per option (a filter offering hundreds of themes and poles drew them slower than its page
took to query) nor per field (``Renderer``: a leader's project page holds hundreds of fields
in its folded edit forms, and their templates took half of its time)."""

import functools

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language


def _text(value):
    """``{{ value|stringformat:"s" }}``: the value as text, escaped unless marked safe."""
    return conditional_escape(f"{value}")


def _attrs(attrs):
    """As django/forms/widgets/attrs.html writes them."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{_text(value)}"'
        for name, value in (attrs or {}).items()
        if value is not False
    )


def _input(widget):
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'
    )


def _textarea(widget):
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _select_markup(name, attrs, groups):
    """As django/forms/widgets/select.html writes a select: ``groups`` yields (group label,
    or None outside a group, [(value, attrs, label) of each option])."""
    parts = [f'<select name="{conditional_escape(name)}"{_attrs(attrs)}>']
    for group_name, options in groups:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for value, option_attrs, label in options:
            parts.append(
                f'\n  <option value="{_text(value)}"{_attrs(option_attrs)}>'
                f"{conditional_escape(label)}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _select(widget):
    if any(
        option["template_name"] != "django/forms/widgets/select_option.html"
        for _group, options, _index in widget["optgroups"]
        for option in options
    ):
        raise _Templated
    groups = (
        (group, [(o["value"], o["attrs"], o["label"]) for o in options])
        for group, options, _index in widget["optgroups"]
    )
    return _select_markup(widget["name"], widget["attrs"], groups)


def _label(context):
    if not context["use_tag"]:
        return conditional_escape(context["label"])
    tag = conditional_escape(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{conditional_escape(context['label'])}</{tag}>"


class _Templated(Exception):
    """A widget this module does not write (a custom option template): its template does."""


_INPUT_TEMPLATES = {
    f"django/forms/widgets/{kind}.html"
    for kind in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "checkbox",
    )
}
_WRITERS = {
    **dict.fromkeys(_INPUT_TEMPLATES, lambda context: _input(context["widget"])),
    "django/forms/widgets/textarea.html": lambda context: _textarea(context["widget"]),
    "django/forms/widgets/select.html": lambda context: _select(context["widget"]),
    "django/forms/label.html": _label,
}


class Renderer(DjangoTemplates):
    """Django's form renderer (``FORM_RENDERER``), which writes the common widgets and labels
    in Python, to the character what their templates write (tests/portal/test_widgets.py);
    every other template (a widget of its own, a form's or a field's layout) is rendered."""

    def render(self, template_name, context, request=None):
        writer = _WRITERS.get(template_name)
        if writer is not None:
            try:
                return mark_safe(writer(context))  # every value escaped above
            except _Templated:
                pass
        return super().render(template_name, context, request)


@functools.lru_cache(maxsize=128)
def _options_markup(language, choices, wanted, multiple):
    """The options of a select of ``choices`` (``_choices_key``) with the values ``wanted``
    selected, as select.html writes them. The same choices draw the same options for every
    visitor (a directory's 281 themes, its poles, regions and sectors): escaped and joined
    once per process and ``language`` (lazy labels are translated in it), not once a page."""
    parts = []
    has_selected = False

    def option(value, label, safe, group):
        nonlocal has_selected
        value = "" if value is None and group is None else value
        selected = (not has_selected or multiple) and str(value) in wanted
        has_selected |= selected
        label = label if safe else conditional_escape(f"{label}")
        parts.append(
            f'\n  <option value="{conditional_escape(f"{value}")}"'
            f"{' selected' if selected else ''}>{label}</option>\n"
        )

    for choice in choices:
        if choice[0] is _GROUP:
            _kind, name, safe, options = choice
            if name:
                name = name if safe else conditional_escape(f"{name}")
                parts.append(f'\n  <optgroup label="{name}">')
            for value, label, label_safe in options:
                option(value, label, label_safe, choice[1])
            if name:
                parts.append("\n  </optgroup>")
        else:
            option(*choice, None)
    return "".join(parts)


_GROUP = object()  # marks a group of options in ``_choices_key``


def _choices_key(choices):
    """``choices`` as ``_options_markup``'s key: each (value, label, whether the label is
    safe) — a safe label and the same text are two options — and each group (_GROUP, its
    name, whether the name is safe, its options)."""
    return tuple(
        (_GROUP, value, isinstance(value, SafeData), tuple(_safe_flagged(label)))
        if isinstance(label, (list, tuple))
        else (value, label, isinstance(label, SafeData))
        for value, label in choices
    )


def _safe_flagged(options):
    return ((value, label, isinstance(label, SafeData)) for value, label in options)


class Select(forms.Select):
    """forms.Select, its markup the same as django/forms/widgets/select.html's, its options
    written straight from its choices (no option dictionaries, no format_html per option)
    and kept (``_options_markup``)."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        key = (
            get_language(),
            _choices_key(self.choices),
            tuple(self.format_value(value)),
            self.allow_multiple_selected,
        )
        try:
            options = _options_markup(*key)
        except TypeError:  # a value that cannot be a key (a list…): drawn, not kept
            options = _options_markup.__wrapped__(*key)
        # Every part escaped here and there.
        return mark_safe(
            f'<select name="{conditional_escape(name)}"{_attrs(attrs)}>{options}\n</select>'
        )

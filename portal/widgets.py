"""Widgets drawn in Python: the same HTML as Django's templates, without a template render
per option (a filter offering hundreds of themes and poles drew them slower than its page
took to query)."""

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def _attrs(attrs):
    """As django/forms/widgets/attrs.html writes them."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class Select(forms.Select):
    """forms.Select, its markup the same as django/forms/widgets/select.html's, its options
    written straight from its choices (no option dictionaries, no format_html per option)."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        wanted = self.format_value(value)
        parts = [format_html('<select name="{}"', name), _attrs(attrs), ">"]
        has_selected = False
        for option_value, option_label in self.choices:
            if isinstance(option_label, (list, tuple)):
                group, options = option_value, option_label
                parts.append(format_html('\n  <optgroup label="{}">', group))
            else:
                group, options = None, ((option_value, option_label),)
            for subvalue, sublabel in options:
                subvalue = "" if subvalue is None and group is None else subvalue
                selected = (not has_selected or self.allow_multiple_selected) and str(
                    subvalue
                ) in wanted
                has_selected |= selected
                parts.append(
                    f'\n  <option value="{conditional_escape(str(subvalue))}"'
                    f"{' selected' if selected else ''}>{conditional_escape(sublabel)}</option>\n"
                )
            if group is not None:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # every part escaped above

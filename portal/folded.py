"""Folded forms: the forms of the project page's sections that stay folded in a ``<details>``
until someone opens one. The page holds no form then, only ``{% folded %}`` (its URL): with
htmx, opening the ``<details>`` fetches the form from that URL; without JavaScript, the link
there leads to the form on a page of its own.

That URL is the form's own: the view that takes the form's POST answers its GET, behind the
same permission, with ``folded_form``. A form that must show open (posted with an error)
is rendered in place by its section, as before."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers

PAGE = "portal/folded_form.html"


def folded_form(request, template, context, *, heading, subject="", back):
    """The form of ``template`` (a partial of its section) alone for htmx, otherwise on a page
    of its own: ``heading`` and ``subject`` above it, a link ``back`` to the project."""
    if request.htmx:
        response = render(request, template, context)
    else:
        page = {"form_template": template, "heading": heading, "subject": subject, "back": back}
        response = render(request, PAGE, {**context, **page})
    patch_vary_headers(response, ("HX-Request",))  # one URL, two answers
    return response

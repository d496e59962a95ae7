"""The benchmark's URLconf: the portal's own plus two floors, constant pages behind the same
middleware that the other pages are measured against. Only bench/run.py selects it (through
ROOT_URLCONF); the portal never serves them."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns

# The site's layout around a constant body: what every signed-in page pays before its own
# work (middleware, session, user, navigation, unread badge).
FLOOR_TEMPLATE = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Floor{% endblock %}'
    "{% block content %}<h1>Floor</h1><p>A constant page.</p>{% endblock %}"
)
BARE_PAGE = b"<!doctype html><title>Floor</title><h1>Floor</h1><p>A constant page.</p>"


@login_required
def floor(request):
    return HttpResponse(FLOOR_TEMPLATE.render({}, request))


@login_required
def bare(request):
    """The middleware, the session and the user, without the layout."""
    return HttpResponse(BARE_PAGE)


urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    path("bench/bare/", bare, name="bench_bare"),
    *portal_urlpatterns,
]

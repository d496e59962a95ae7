"""The links to the audit trail: the navigation's, and a project page's."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from portal.navigation import link

from .. import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def audit_link(context):
    """Whether the navigation shows "Audit trail", read with the other links in one query."""
    request = context.get("request")
    return request is not None and link(request, "audit")


@register.simple_tag(takes_context=True)
def project_audit_url(context, project):
    """The trail of ``project``, for those who may read it; "" for the others."""
    request = context.get("request")
    if request is None or not permissions.may_view_project_trail(request.user, project):
        return ""
    return f"{reverse('audit_list')}?{urlencode({'project': project.pk})}"

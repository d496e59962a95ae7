"""The history of a project: the section of its page, and more of it with HTMX."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from projects import permissions
from projects.history import page_number, project_history


@login_required
def history(request, pk):
    """With HTMX, the next entries (appended under those shown); otherwise a page of them."""
    project = permissions.get_project_or_404(
        request.user, pk, need=permissions.may_view_confidential
    )
    context = {
        "project": project,
        "history": project_history(
            request.user, project, page=page_number(request.GET.get("page"))
        ),
    }
    template = "projects/history_section.html#entries" if request.htmx else "projects/history.html"
    return render(request, template, context)

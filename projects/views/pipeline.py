"""A pole's pipeline: the projects submitted to it, by state, with the project list's filters."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import render

from portal.models import Pole
from projects import permissions
from projects.filters import ProjectFilter
from projects.models import State


@login_required
def pole_pipeline(request, pole_pk):
    pole = permissions.staff_pole_or_404(request.user, pole_pk)
    projects = permissions.pipeline_projects(request.user, pole)
    listed = projects.prefetch_related(
        Prefetch("poles", queryset=Pole.objects.order_by("name")), "themes"
    ).order_by("acronym", "pk")
    filterset = ProjectFilter(request.GET or None, queryset=listed)
    page = Paginator(filterset.qs, 20).get_page(request.GET.get("page"))
    context = {"filter": filterset, "page": page}
    if request.htmx and not request.htmx.boosted:
        return render(request, "projects/project_list.html#results", context)
    counts = dict(projects.order_by().values_list("state").annotate(n=Count("pk")))
    context.update(
        pole=pole,
        by_state=[(State(s), counts[s]) for s in State.values if counts.get(s)],
        total=sum(counts.values()),
        current_state=request.GET.get("state", ""),
    )
    return render(request, "projects/pipeline.html", context)

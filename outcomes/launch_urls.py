"""Market launches: a project's section under /projects/<pk>/launches/ (``urlpatterns``),
and the list of every launch a person sees under /launches/ (``list_urlpatterns``)."""

from django.urls import path, re_path

from . import launch_views as views

urlpatterns = [
    path("", views.launches_section, name="project_launches"),
    path("new/", views.launch_add, name="launch_add"),
    path("<int:launch_pk>/edit/", views.launch_edit, name="launch_edit"),
    path("<int:launch_pk>/delete/", views.launch_delete, name="launch_delete"),
    path("<int:launch_pk>/revenues/", views.revenue_set, name="launch_revenue_set"),
    path(
        "<int:launch_pk>/revenues/<int:revenue_pk>/delete/",
        views.revenue_delete,
        name="launch_revenue_delete",
    ),
]

list_urlpatterns = [
    path("", views.launch_list, name="launch_list"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.launch_list_export, name="launch_list_export"),
]

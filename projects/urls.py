from django.urls import path

from .views import consortium, labelling, projects

urlpatterns = [
    path("", projects.project_list, name="project_list"),
    path("new/", projects.project_create, name="project_create"),
    path("<int:pk>/", projects.project_detail, name="project_detail"),
    path("<int:pk>/edit/", projects.project_edit, name="project_edit"),
    path("<int:pk>/transition/", projects.project_transition, name="project_transition"),
    path("<int:pk>/submit/", projects.project_submit, name="project_submit"),
    path("<int:pk>/partners/", consortium.partner_add, name="partner_add"),
    path(
        "<int:pk>/partners/<int:partner_pk>/budget/",
        consortium.partner_budget,
        name="partner_budget",
    ),
    path(
        "<int:pk>/submissions/<int:submission_pk>/decision/",
        labelling.submission_decide,
        name="submission_decide",
    ),
]

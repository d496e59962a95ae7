from django.urls import path

from . import views

urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("new/", views.project_create, name="project_create"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("<int:pk>/partners/", views.partner_add, name="partner_add"),
    path("<int:pk>/partners/<int:partner_pk>/budget/", views.partner_budget, name="partner_budget"),
    path("<int:pk>/transition/", views.project_transition, name="project_transition"),
    path("<int:pk>/submit/", views.project_submit, name="project_submit"),
    path(
        "<int:pk>/submissions/<int:submission_pk>/decision/",
        views.submission_decide,
        name="submission_decide",
    ),
]

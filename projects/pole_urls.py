"""A pole's own pages for its staff: its pipeline and its labelling committees."""

from django.urls import path

from .views import committees, pipeline

urlpatterns = [
    path("pipeline/", pipeline.pole_pipeline, name="pole_pipeline"),
    path("committees/", committees.committee_list, name="committee_list"),
    path("committees/new/", committees.committee_create, name="committee_create"),
    path("committees/<int:session_pk>/", committees.committee_detail, name="committee_detail"),
    path("committees/<int:session_pk>/edit/", committees.committee_edit, name="committee_edit"),
    path("committees/<int:session_pk>/agenda/", committees.agenda_add, name="agenda_add"),
    path(
        "committees/<int:session_pk>/agenda/<int:submission_pk>/remove/",
        committees.agenda_remove,
        name="agenda_remove",
    ),
]

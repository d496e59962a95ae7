from django.urls import path, re_path

from .views import consortium, contacts, experts, exports, labelling, letters, projects
from .views import documents as document_views
from .views import history as history_views
from .views import milestones as milestone_views

urlpatterns = [
    path("", projects.project_list, name="project_list"),
    re_path(
        r"^export\.(?P<fmt>csv|xlsx)$", exports.project_list_export, name="project_list_export"
    ),
    path("new/", projects.project_create, name="project_create"),
    path("<int:pk>/", projects.project_detail, name="project_detail"),
    path("<int:pk>/edit/", projects.project_edit, name="project_edit"),
    path("<int:pk>/transition/", projects.project_transition, name="project_transition"),
    path("<int:pk>/submit/", projects.project_submit, name="project_submit"),
    path("<int:pk>/history/", history_views.history, name="project_history"),
    path("<int:pk>/partners/", consortium.partner_add, name="partner_add"),
    path(
        "<int:pk>/partners/organisations/",
        consortium.organisation_search,
        name="partner_organisation_search",
    ),
    path("<int:pk>/partners/<int:partner_pk>/role/", consortium.partner_role, name="partner_role"),
    path(
        "<int:pk>/partners/<int:partner_pk>/remove/",
        consortium.partner_remove,
        name="partner_remove",
    ),
    path("<int:pk>/partners/<int:partner_pk>/contacts/", contacts.contact_add, name="contact_add"),
    path(
        "<int:pk>/partners/<int:partner_pk>/invitations/",
        contacts.invitation_create,
        name="invitation_create",
    ),
    path("<int:pk>/contacts/<int:contact_pk>/role/", contacts.contact_role, name="contact_role"),
    path(
        "<int:pk>/contacts/<int:contact_pk>/remove/",
        contacts.contact_remove,
        name="contact_remove",
    ),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/resend/",
        contacts.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/cancel/",
        contacts.invitation_cancel,
        name="invitation_cancel",
    ),
    path("<int:pk>/milestones/", milestone_views.milestone_add, name="milestone_add"),
    path(
        "<int:pk>/milestones/<int:milestone_pk>/edit/",
        milestone_views.milestone_edit,
        name="milestone_edit",
    ),
    path(
        "<int:pk>/milestones/<int:milestone_pk>/done/",
        milestone_views.milestone_done,
        name="milestone_done",
    ),
    path(
        "<int:pk>/milestones/<int:milestone_pk>/delete/",
        milestone_views.milestone_delete,
        name="milestone_delete",
    ),
    path("<int:pk>/documents/", document_views.document_upload, name="document_upload"),
    path(
        "<int:pk>/documents/<int:document_pk>/",
        document_views.document_download,
        name="document_download",
    ),
    path(
        "<int:pk>/documents/<int:document_pk>/delete/",
        document_views.document_delete,
        name="document_delete",
    ),
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
    path(
        "<int:pk>/submissions/<int:submission_pk>/",
        experts.submission_detail,
        name="submission_detail",
    ),
    path(
        "<int:pk>/submissions/<int:submission_pk>/experts/",
        experts.expert_ask,
        name="expert_ask",
    ),
    path(
        "<int:pk>/submissions/<int:submission_pk>/letter/",
        letters.labelling_letter,
        name="labelling_letter",
    ),
    path(
        "<int:pk>/submissions/<int:submission_pk>/letter.pdf",
        letters.labelling_letter_pdf,
        name="labelling_letter_pdf",
    ),
    path("<int:pk>/opinions/<int:assignment_pk>/", experts.expert_opinion, name="expert_opinion"),
]

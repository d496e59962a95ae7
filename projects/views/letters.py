"""The labelling letter: a pole's decision on a project, addressed to its coordinator."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from portal.models import PoleStaff
from projects import permissions
from projects.models import Contact, Partner, Submission


@login_required
def labelling_letter(request, pk, submission_pk):
    project = permissions.get_project_or_404(request.user, pk)
    submission = get_object_or_404(
        Submission.objects.select_related("pole", "project", "decided_by", "session"),
        pk=submission_pk,
        project=project,
    )
    if not permissions.may_view_letter(request.user, submission):
        raise Http404
    # The coordinator first, then partners, associated partners and subcontractors.
    partners = sorted(
        Partner.objects.filter(project=project).select_related("organisation"),
        key=lambda p: (Partner.Role.values.index(p.role), p.organisation.legal_name),
    )
    addressees = list(
        Contact.objects.filter(
            partner__project=project, role=Contact.Role.COORDINATOR_CONTACT
        ).select_related("person")
    )
    signatory_title = (
        PoleStaff.objects.filter(pole=submission.pole, person=submission.decided_by)
        .values_list("job_title", flat=True)
        .first()
        if submission.decided_by_id
        else None
    )
    context = {
        "project": project,
        "submission": submission,
        "pole": submission.pole,
        "partners": partners,
        "coordinator": next((p for p in partners if p.role == Partner.Role.COORDINATOR), None),
        "addressees": [c.person for c in addressees],
        "signatory": submission.decided_by,
        "signatory_title": signatory_title,
        "labelled": submission.decision == Submission.Decision.LABELLED,
    }
    return render(request, "projects/labelling_letter.html", context)

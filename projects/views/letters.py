"""The labelling letter: a pole's decision on a project, addressed to its coordinator."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from portal.models import PoleStaff
from portal.pdf import pdf_response, render_pdf
from projects import permissions
from projects.models import Contact, Partner, Submission


def letter_context(user, pk, submission_pk):
    """What the letter says, if ``user`` may read it; a 404 otherwise."""
    project = permissions.get_project_or_404(user, pk)
    submission = get_object_or_404(
        Submission.objects.select_related("pole", "project", "decided_by", "session"),
        pk=submission_pk,
        project=project,
    )
    if not permissions.may_view_letter(user, submission):
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
    return {
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


@login_required
def labelling_letter(request, pk, submission_pk):
    context = letter_context(request.user, pk, submission_pk)
    return render(request, "projects/labelling_letter.html", context)


@login_required
def labelling_letter_pdf(request, pk, submission_pk):
    """The letter as an archival PDF, its decision attached as JSON."""
    context = letter_context(request.user, pk, submission_pk)
    submission, project = context["submission"], context["project"]
    identifier = f"GRP-L-{submission.pk}-{submission.decided_on:%Y%m%d}"
    content = render_pdf(
        "pdf/labelling_letter.html",
        {**context, "identifier": identifier, "language": get_language() or "fr"},
        identifier=identifier,
        figures={
            "document": identifier,
            "project": {"id": project.pk, "acronym": project.acronym, "title": project.title},
            "pole": submission.pole.name,
            "decision": submission.decision,
            "decided_on": submission.decided_on,
            "committee": submission.committee,
            "partners": [
                {"organisation": p.organisation.legal_name, "role": p.role}
                for p in context["partners"]
            ],
        },
    )
    return pdf_response(content, f"{project.acronym}-{submission.pole.pk}-letter.pdf")

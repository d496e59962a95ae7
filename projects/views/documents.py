"""The project page's documents: uploaded by the consortium, downloaded by whoever may see
the project's confidential part — always through ``document_download``, never a public URL."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.forms_utils import add_model_errors
from projects import permissions, services
from projects.forms import DocumentForm
from projects.models import Document

SECTION = "projects/documents_section.html"


def _mark(user, project, documents):
    for document in documents:
        document.may_delete = permissions.may_delete_document(user, document)
    return documents


def section_context(user, project, confidential, form=None):
    """What the section needs, in a fixed number of queries."""
    if not confidential:
        return {"documents": []}
    may_upload = permissions.may_upload_document(user, project)
    documents = list(project.documents.select_related("uploaded_by"))
    if may_upload and form is None:
        form = DocumentForm(auto_id="document-%s")
    return {
        "documents": _mark(user, project, documents),
        "document_form": form if may_upload else None,
    }


def serve(document):
    """The file as an attachment under its original name; browsers never render it inline."""
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _document_or_404(request, pk, document_pk):
    project = permissions.get_project_or_404(
        request.user, pk, need=permissions.may_view_confidential
    )
    document = get_object_or_404(
        Document.objects.select_related("uploaded_by"), pk=document_pk, project=project
    )
    document.project = project
    return project, document


@login_required
@require_POST
def document_upload(request, pk):
    project = permissions.get_project_or_404(request.user, pk, need=permissions.may_upload_document)
    form = DocumentForm(request.POST, request.FILES, auto_id="document-%s")
    if form.is_valid():
        try:
            document = services.add_document(
                project,
                by=request.user,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            notice = _("“%(title)s” uploaded.") % {"title": document.title}
            if request.htmx:
                return _section(request, project, notice=notice)
            messages.success(request, notice)
            return redirect(project.get_absolute_url() + "#documents")
    if request.htmx:
        return _section(request, project, form=form, status=400)
    return render(
        request, "projects/document_form.html", {"form": form, "project": project}, status=400
    )


def _section(request, project, form=None, status=200, notice=""):
    context = {"project": project, "confidential": True, "document_notice": notice}
    context.update(section_context(request.user, project, True, form))
    return render(request, f"{SECTION}#section", context, status=status)


@login_required
@require_GET
def document_download(request, pk, document_pk):
    _project, document = _document_or_404(request, pk, document_pk)
    try:
        return serve(document)
    except FileNotFoundError:
        raise Http404 from None


@login_required
@require_POST
def document_delete(request, pk, document_pk):
    project, document = _document_or_404(request, pk, document_pk)
    if not permissions.may_delete_document(request.user, document):
        raise Http404
    title = document.title
    services.delete_document(document)
    if request.htmx:
        return HttpResponse("")  # the row is swapped for nothing
    messages.success(request, _("“%(title)s” deleted.") % {"title": title})
    return redirect(project.get_absolute_url() + "#documents")

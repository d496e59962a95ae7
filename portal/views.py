from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import permissions, services
from .directory import DIRECTORY_COUNT_CAP, describe_entries, sector_label
from .filters import DirectoryFilter
from .forms import OrganisationCreateForm, OrganisationForm, SignUpForm
from .forms_utils import add_model_errors
from .home import home_sections
from .modelutils import StaleEdit
from .pagination import CappedPaginator


@require_GET
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def home(request):
    return render(request, "portal/home.html", {"sections": home_sections(request.user)})


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = form.save()
        login(request, person, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, _("Welcome to Grappe, %(name)s.") % {"name": person.get_short_name()}
        )
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})


@login_required
def directory(request):
    """The member directory: the members one may see, searched by text (accents and case
    ignored, every word must match), region, sector, category, theme and pole."""
    organisations = permissions.directory_organisations(request.user)
    filterset = DirectoryFilter(
        request.GET or None, queryset=organisations.order_by("legal_name", "pk"), request=request
    )
    page = CappedPaginator(filterset.qs, 25, cap=DIRECTORY_COUNT_CAP).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    describe_entries(page.object_list)
    template = "portal/directory.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, {"filter": filterset, "page": page})


def _organisation_or_404(user, pk):
    try:
        return permissions.visible_organisations(user).get(pk=pk)
    except (ValueError, TypeError) as error:
        raise Http404 from error
    except permissions.Organisation.DoesNotExist as error:
        raise Http404 from error


@login_required
def organisation_detail(request, pk):
    from projects.permissions import visible_projects

    user = request.user
    organisation = _organisation_or_404(user, pk)
    projects = (
        visible_projects(user)
        .filter(partners__organisation=organisation)
        .filter(labelled_on__isnull=False)
        .distinct()
        .order_by("acronym")
    )
    may_post = permissions.postable_organisations(user).filter(pk=organisation.pk).exists()
    posts = permissions.visible_posts(user).filter(organisation=organisation)
    if not may_post:
        posts = posts.filter(closed_at__isnull=True)
    return render(
        request,
        "portal/organisation_detail.html",
        {
            "organisation": organisation,
            "sector": sector_label(organisation.naf_code),
            "poles": permissions.active_member_poles(organisation),
            "projects": projects,
            "posts": list(posts.prefetch_related("themes")),
            "may_post": may_post,
            "may_contact": permissions.may_contact(user, organisation),
            "may_change": permissions.may_change_organisation(user, organisation),
        },
    )


@login_required
def organisation_create(request):
    form = OrganisationCreateForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        visible = permissions.visible_organisations(request.user)
        try:
            organisation = services.create_organisation(
                form.instance,
                admin=request.user,
                confirm_distinct=form.cleaned_data["confirm_distinct"],
                among=visible,
            )
        except services.DuplicateOrganisation as error:
            form.add_error(None, error)
            if error.confirmable:
                form.ask_confirmation()
            duplicates = permissions.with_visibility(request.user, error.duplicates)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Organisation created; you are its admin."))
            return redirect(organisation)
    return render(
        request, "portal/organisation_form.html", {"form": form, "duplicates": duplicates}
    )


@login_required
def organisation_edit(request, pk):
    organisation = _organisation_or_404(request.user, pk)
    if not permissions.may_change_organisation(request.user, organisation):
        raise Http404
    form = OrganisationForm(request.POST or None, instance=organisation)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(
                organisation, expected_version=form.cleaned_data["version"]
            )
        except StaleEdit as error:
            form, status = form.with_newer_values(error), 409
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(request, _("Organisation updated."))
            return redirect(organisation)
    context = {"form": form, "organisation": form.instance}
    return render(request, "portal/organisation_form.html", context, status=status)

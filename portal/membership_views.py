"""Membership: applying to a pole, the applicant's view of its memberships and fee calls, and
the pole staff's review of applications and of their members."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import permissions, services
from .figures import with_balance
from .forms import OrganisationCreateForm
from .forms_utils import add_model_errors
from .membership_forms import (
    AcceptForm,
    ApplicationFilterForm,
    CommentForm,
    DossierForm,
    MemberFilterForm,
    MembershipStatusForm,
    RejectForm,
    this_year,
)
from .models import FeeCall, Membership, MembershipApplication, Payment
from .modelutils import StaleEdit
from .validators import searchable

NEW = "new"


def _split_errors(error, forms):
    """Each message of a service's ValidationError on the first form that has its field."""
    if not hasattr(error, "error_dict"):
        forms[-1].add_error(None, error)
        return
    for field, messages_ in error.error_dict.items():
        form = next((f for f in forms if field in f.fields and field != NON_FIELD_ERRORS), None)
        for message in messages_:
            (form or forms[-1]).add_error(field if form else None, message)


def _applicable(user, pole):
    """The organisations ``user`` administers, each with why it cannot apply to ``pole``
    (``blocked``: already a member, or an application awaiting the decision)."""
    organisations = list(permissions.administered_organisations(user).order_by("legal_name"))
    members = set(
        Membership.objects.filter(
            pole=pole, organisation__in=organisations, status__in=permissions.ACTIVE_MEMBERSHIP
        ).values_list("organisation_id", flat=True)
    )
    pending = set(
        MembershipApplication.objects.filter(
            pole=pole, organisation__in=organisations, status__in=permissions.OPEN_APPLICATION
        ).values_list("organisation_id", flat=True)
    )
    for organisation in organisations:
        organisation.blocked = (
            _("already a member")
            if organisation.pk in members
            else _("an application awaits the decision")
            if organisation.pk in pending
            else ""
        )
    return organisations


@login_required
def apply(request, pole_pk):
    """Apply to a pole for one of one's organisations (``?organisation=<pk>``) or a new one
    (``?organisation=new``); with no organisation of one's own, a new one."""
    user = request.user
    pole = get_object_or_404(permissions.visible_poles(user), pk=pole_pk)
    organisations = _applicable(user, pole)
    choice = request.GET.get("organisation", "")
    if not organisations and not choice:
        choice = NEW
    if not choice:
        return render(request, "portal/apply.html", {"pole": pole, "organisations": organisations})
    organisation = None
    if choice != NEW:
        organisation = get_object_or_404(
            permissions.administered_organisations(user), pk=choice if choice.isdigit() else None
        )
    data = request.POST or None
    dossier = DossierForm(data, organisation=organisation)
    if organisation is None:
        org_form = OrganisationCreateForm(data, prefix="org")
    else:
        org_form = None
        if request.method == "GET":
            dossier.initial["people"] = [user.pk]
    duplicates = []
    if request.method == "POST":
        valid = [f.is_valid() for f in (org_form, dossier) if f is not None]
        if all(valid):
            try:
                application = _send(user, pole, organisation, org_form, dossier)
            except services.DuplicateOrganisation as error:
                org_form.add_error(None, error)
                if error.confirmable:
                    org_form.ask_confirmation()
                duplicates = permissions.with_visibility(user, error.duplicates)
            except ValidationError as error:
                _split_errors(error, [f for f in (org_form, dossier) if f is not None])
            else:
                messages.success(
                    request,
                    _("Your application was sent to %(pole)s: you will be told of its decision.")
                    % {"pole": pole},
                )
                return redirect("application_detail", application.pk)
    invalid = bool(dossier.errors or (org_form is not None and org_form.errors))
    return render(
        request,
        "portal/apply.html",
        {
            "pole": pole,
            "organisations": organisations,
            "organisation": organisation,
            "choice": choice,
            "dossier": dossier,
            "org_form": org_form,
            "duplicates": duplicates,
        },
        status=400 if invalid else 200,
    )


def _send(user, pole, organisation, org_form, dossier):
    data = dossier.cleaned_data
    fields = {
        "activities": data["activities"],
        "needs": data["needs"],
        "project_idea": data["project_idea"],
    }
    if organisation is None:
        return services.apply_with_new_organisation(
            pole,
            org_form.instance,
            by=user,
            confirm_distinct=org_form.cleaned_data["confirm_distinct"],
            among=permissions.visible_organisations(user),
            **fields,
        )
    return services.apply_for_membership(
        pole, organisation, by=user, people=data["people"], **fields
    )


@login_required
def membership_overview(request):
    """The memberships, applications and fee calls of the organisations one administers,
    and the poles one may apply to."""
    user = request.user
    memberships = (
        permissions.own_memberships(user)
        .select_related("organisation", "pole")
        .order_by("organisation__legal_name", "pole__name")
    )
    applications = (
        permissions.own_applications(user)
        .select_related("organisation", "pole")
        .order_by("-submitted_at", "-pk")
    )
    fee_calls = (
        with_balance(permissions.visible_fee_calls(user))
        .filter(membership__organisation__in=permissions.administered_organisations(user))
        .select_related("membership__organisation", "membership__pole")
        .order_by("-year", "membership__organisation__legal_name", "pk")
    )
    return render(
        request,
        "portal/memberships.html",
        {
            "memberships": list(memberships),
            "applications": list(applications),
            "fee_calls": list(fee_calls),
            "poles": list(permissions.visible_poles(user).order_by("name")),
            "administers": permissions.administered_organisations(user).exists(),
        },
    )


def _own_application(user, pk):
    return get_object_or_404(
        permissions.own_applications(user).select_related("organisation", "pole", "decided_by"),
        pk=pk,
    )


@login_required
def application_detail(request, pk):
    """The applicant's view of its application: the dossier, the pole's comment, and the
    dossier to complete until the pole decides."""
    user = request.user
    application = _own_application(user, pk)
    may_edit = permissions.may_edit_application(user, application)
    form, status = None, 200
    if may_edit:
        form = DossierForm(
            request.POST or None, instance=application, organisation=application.organisation
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                was = application.status
                services.update_application(
                    application,
                    by=user,
                    activities=data["activities"],
                    needs=data["needs"],
                    project_idea=data["project_idea"],
                    people=data["people"],
                    expected_version=data["version"],
                )
            except StaleEdit as error:
                form, status = form.with_newer_values(error), 409
                application = _own_application(user, pk)  # the dossier and status as now
            except ValidationError as error:
                add_model_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Your answers were sent to %(pole)s.") % {"pole": application.pole}
                    if was == MembershipApplication.Status.INFO_REQUESTED
                    else _("Application updated."),
                )
                return redirect("application_detail", application.pk)
    elif request.method == "POST":
        messages.error(request, _("The pole has decided: the application can no longer change."))
        return redirect("application_detail", application.pk)
    return render(
        request,
        "portal/application_detail.html",
        {
            "application": application,
            "people": list(application.people.all()),
            "form": form,
        },
        status=400 if form is not None and form.errors else status,
    )


# The pole's staff: the queue of applications and the review of one


@login_required
def application_list(request, pole_pk):
    pole = permissions.staff_pole_or_404(request.user, pole_pk)
    applications = permissions.staff_applications(request.user).filter(pole=pole)
    form = ApplicationFilterForm(request.GET or None)
    listed = applications.select_related("organisation", "submitted_by").order_by(
        "-submitted_at", "-pk"
    )
    status = ""
    if form.is_valid() and form.cleaned_data["status"]:
        status = form.cleaned_data["status"]
        listed = listed.filter(status=status)
    page = Paginator(listed, 25).get_page(request.GET.get("page"))
    context = {"pole": pole, "form": form, "page": page, "current_status": status}
    if request.htmx and not request.htmx.boosted:
        return render(request, "portal/application_list.html#applications", context)
    counts = dict(applications.order_by().values_list("status").annotate(n=Count("pk")))
    context["by_status"] = [
        (s, counts[s.value]) for s in MembershipApplication.Status if counts.get(s.value)
    ]
    return render(request, "portal/application_list.html", context)


def _staff_application_or_404(request, pole_pk, pk):
    pole = permissions.staff_pole_or_404(request.user, pole_pk)
    return get_object_or_404(
        permissions.staff_applications(request.user).select_related(
            "organisation", "pole", "submitted_by", "decided_by"
        ),
        pk=pk,
        pole=pole,
    )


def _review(request, application, *, status=200, errors=(), **forms):
    """The staff's page of an application, with the decision forms (bound ones kept)."""
    organisation = application.organisation
    fee = fee_error = None
    try:
        fee = services.fee_for(organisation, application.pole, this_year())
    except ValidationError as error:
        fee_error = error.messages[0]
    open_ = application.status in permissions.OPEN_APPLICATION
    earlier = (
        permissions.staff_applications(request.user)
        .filter(organisation=organisation, pole=application.pole)
        .exclude(pk=application.pk)
        .order_by("-submitted_at")
    )
    context = {
        "application": application,
        "pole": application.pole,
        "organisation": organisation,
        "people": list(application.people.all()),
        "membership": Membership.objects.filter(
            organisation=organisation, pole=application.pole
        ).first(),
        "earlier": list(earlier),
        "fee": fee,
        "fee_error": fee_error,
        "year": this_year(),
        "is_open": open_,
        "errors": errors,
        "comment_form": (forms.get("comment_form") or CommentForm()) if open_ else None,
        "accept_form": (forms.get("accept_form") or AcceptForm()) if open_ else None,
        "reject_form": (forms.get("reject_form") or RejectForm()) if open_ else None,
    }
    return render(request, "portal/application_review.html", context, status=status)


@login_required
def application_review(request, pole_pk, pk):
    return _review(request, _staff_application_or_404(request, pole_pk, pk))


def _decide(request, pole_pk, pk, form_class, form_name, action, done):
    application = _staff_application_or_404(request, pole_pk, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(application, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_model_errors(form, error)
            application.refresh_from_db()  # decided meanwhile, perhaps
        else:
            messages.success(request, done % {"organisation": application.organisation})
            return redirect("application_review", application.pole_id, application.pk)
    return _review(
        request, application, status=400, errors=form.non_field_errors(), **{form_name: form}
    )


@login_required
@require_POST
def application_request_info(request, pole_pk, pk):
    return _decide(
        request,
        pole_pk,
        pk,
        CommentForm,
        "comment_form",
        services.request_information,
        _("Your questions were sent to %(organisation)s."),
    )


@login_required
@require_POST
def application_accept(request, pole_pk, pk):
    return _decide(
        request,
        pole_pk,
        pk,
        AcceptForm,
        "accept_form",
        services.accept_application,
        _("%(organisation)s is now a member."),
    )


@login_required
@require_POST
def application_reject(request, pole_pk, pk):
    return _decide(
        request,
        pole_pk,
        pk,
        RejectForm,
        "reject_form",
        services.reject_application,
        _("The application of %(organisation)s was refused."),
    )


# The pole's staff: its members


def _year_status(year):
    """The payment status of each membership's fee call of ``year``, as a subquery."""
    calls = with_balance(FeeCall.objects.filter(membership=OuterRef("pk"), year=year))
    return Subquery(calls.values("payment_status")[:1])


@login_required
def member_list(request, pole_pk):
    pole = permissions.staff_pole_or_404(request.user, pole_pk)
    year = this_year()
    members = (
        permissions.staff_memberships(request.user)
        .filter(pole=pole)
        .exclude(status=Membership.Status.APPLIED)
        .select_related("organisation")
        .annotate(fee_status=_year_status(year))
        .order_by("organisation__legal_name", "pk")
    )
    form = MemberFilterForm(request.GET or None)
    if form.is_valid():
        q = searchable(form.cleaned_data["q"])
        if q:
            members = members.filter(organisation__search_text__contains=q)
        if form.cleaned_data["status"]:
            members = members.filter(status=form.cleaned_data["status"])
    page = Paginator(members, 25).get_page(request.GET.get("page"))
    context = {"pole": pole, "form": form, "page": page, "year": year}
    template = "portal/member_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#members"
    return render(request, template, context)


def _membership_or_404(request, pole_pk, pk):
    pole = permissions.staff_pole_or_404(request.user, pole_pk)
    return get_object_or_404(
        permissions.staff_memberships(request.user).select_related("organisation", "pole"),
        pk=pk,
        pole=pole,
    )


@login_required
def membership_detail(request, pole_pk, pk, status_form=None):
    membership = _membership_or_404(request, pole_pk, pk)
    fee_calls = (
        with_balance(permissions.staff_fee_calls(request.user).filter(membership=membership))
        .prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("paid_on", "pk")))
        .order_by("-year")
    )
    applications = (
        permissions.staff_applications(request.user)
        .filter(organisation=membership.organisation_id, pole=membership.pole_id)
        .order_by("-submitted_at")
    )
    form = status_form or MembershipStatusForm(
        initial={"status": membership.status if membership.status_override else ""}
    )
    return render(
        request,
        "portal/membership_detail.html",
        {
            "membership": membership,
            "pole": membership.pole,
            "organisation": membership.organisation,
            "fee_calls": list(fee_calls),
            "applications": list(applications),
            "status_form": form,
            "grace_days": services.grace_days(),
        },
        status=400 if status_form is not None else 200,
    )


@login_required
@require_POST
def membership_status(request, pole_pk, pk):
    membership = _membership_or_404(request, pole_pk, pk)
    form = MembershipStatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_membership_status(
                membership, form.cleaned_data["status"] or None, by=request.user
            )
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(
                request,
                _("Status set by hand: %(status)s.") % {"status": membership.get_status_display()}
                if membership.status_override
                else _("The status follows the dates again: %(status)s.")
                % {"status": membership.get_status_display()},
            )
            return redirect("membership_detail", membership.pole_id, membership.pk)
    return membership_detail(request, pole_pk, pk, status_form=form)

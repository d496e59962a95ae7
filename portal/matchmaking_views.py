"""The matchmaking board: offers and needs, their suggestions, and contact through the portal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import matchmaking, permissions
from .filters import PostFilter
from .forms import ContactForm, PostForm
from .forms_utils import add_model_errors
from .models import Organisation, Post
from .modelutils import StaleEdit


def _post_or_404(user, pk, need=None):
    try:
        post = (
            permissions.visible_posts(user)
            .select_related("organisation", "author")
            .prefetch_related("themes")
            .get(pk=pk)
        )
    except Post.DoesNotExist as error:
        raise Http404 from error
    if need is not None and not need(user, post):
        raise Http404
    return post


@login_required
def post_list(request):
    user = request.user
    posts = (
        permissions.visible_posts(user)
        .select_related("organisation")
        .prefetch_related("themes")
        .order_by("-created_at", "-pk")
    )
    filterset = PostFilter(request.GET or None, queryset=posts)
    page = Paginator(filterset.qs, 20).get_page(request.GET.get("page"))
    template = "portal/matchmaking.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(
        request,
        template,
        {
            "filter": filterset,
            "page": page,
            "may_read": permissions.may_use_matchmaking(user),
            "may_post": permissions.postable_organisations(user).exists(),
        },
    )


@login_required
def post_detail(request, pk):
    user = request.user
    post = _post_or_404(user, pk)
    suggestions = None
    if post.closed_at is None:
        suggestions = matchmaking.suggest_for_post(user, post)
    return render(
        request,
        "portal/post_detail.html",
        {
            "post": post,
            "suggestions": suggestions,
            "may_change": permissions.may_change_post(user, post),
            "may_contact": permissions.may_contact(user, post.organisation),
        },
    )


@login_required
def post_create(request):
    organisations = permissions.postable_organisations(request.user).order_by("legal_name")
    if not organisations.exists():
        raise Http404
    form = PostForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            post = matchmaking.create_post(by=request.user, **data)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(request, _("Your post is on the board."))
            return redirect(post)
    return render(request, "portal/post_form.html", {"form": form})


@login_required
def post_edit(request, pk):
    post = _post_or_404(request.user, pk, need=permissions.may_change_post)
    form = PostForm(request.POST or None, instance=post)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            matchmaking.update_post(Post.objects.get(pk=post.pk), expected_version=version, **data)
        except StaleEdit as error:
            form, status = form.with_newer_values(error), 409
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(request, _("Post updated."))
            return redirect(post)
    context = {"form": form, "post": form.instance}
    return render(request, "portal/post_form.html", context, status=status)


@login_required
@require_POST
def post_close(request, pk):
    post = _post_or_404(request.user, pk, need=permissions.may_change_post)
    matchmaking.close_post(post)
    messages.success(request, _("The post is closed: it left the board and the suggestions."))
    return redirect(post)


@login_required
@require_POST
def post_reopen(request, pk):
    post = _post_or_404(request.user, pk, need=permissions.may_change_post)
    matchmaking.reopen_post(post)
    messages.success(request, _("The post is back on the board."))
    return redirect(post)


def _contact(request, organisation, post=None):
    if not permissions.may_contact(request.user, organisation):
        raise Http404
    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            matchmaking.send_contact_request(
                sender=request.user,
                organisation=organisation,
                post=post,
                message=form.cleaned_data["message"],
                share_email=form.cleaned_data["share_email"],
            )
        except matchmaking.ContactLimitReached as error:
            form.add_error(None, error)
            status = 429
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(
                request,
                _("Your message was sent to %(organisation)s.")
                % {"organisation": organisation.legal_name},
            )
            return redirect(post or organisation)
    return render(
        request,
        "portal/contact_form.html",
        {"form": form, "organisation": organisation, "post": post},
        status=status,
    )


@login_required
def organisation_contact(request, pk):
    try:
        organisation = permissions.visible_organisations(request.user).get(pk=pk)
    except Organisation.DoesNotExist as error:
        raise Http404 from error
    return _contact(request, organisation)


@login_required
def post_contact(request, pk):
    post = _post_or_404(request.user, pk)
    return _contact(request, post.organisation, post)

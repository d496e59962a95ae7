"""The person's API tokens: the list, making one (its secret shown once), revoking one."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .forms import TokenForm
from .models import ApiToken
from .permissions import own_tokens

TEMPLATE = "tokens/token_list.html"


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """The list and the form; a valid POST makes the token and answers with its secret, in
    this response only (never stored, never cached, never shown again)."""
    form = TokenForm(request.POST if request.method == "POST" else None)
    created = secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            created, secret = services.create_token(request.user, **form.cleaned_data)
            form = TokenForm()
        else:
            status = 400
    context = {
        "tokens": own_tokens(request.user),
        "form": form,
        "created": created,
        "secret": secret,
    }
    template = TEMPLATE + "#tokens" if request.htmx else TEMPLATE
    response = render(request, template, context, status=status)
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def token_revoke(request, pk):
    try:
        token = own_tokens(request.user).get(pk=pk)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    services.revoke_token(token)
    if not request.htmx:
        return redirect("token_list")
    return render(request, TEMPLATE + "#row", {"token": token})

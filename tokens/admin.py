from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Superusers see every person's tokens (never a secret: none is stored) and revoke them.
    Tokens are made by their person only, on their API tokens page."""

    list_display = [
        "name",
        "person",
        "prefix",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "state_display",
    ]
    list_filter = ["scope", "revoked_at", "expires_at"]
    search_fields = ["name", "prefix", "person__email"]
    list_select_related = ["person"]
    fields = [
        "person",
        "name",
        "prefix",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = fields
    actions = ["revoke"]

    @admin.display(description=_("state"))
    def state_display(self, token):
        return token.state.label

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at=None):
            services.revoke_token(token)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_revoke_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        # Kept for deleting a person, whose tokens go with them.
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

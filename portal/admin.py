from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import privacy, two_factor
from .models import (
    Affiliation,
    ErasureRequest,
    Membership,
    Organisation,
    Person,
    Pole,
    PoleStaff,
    Theme,
)


@admin.register(Person)
class PersonAdmin(UserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        ("Droits", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    actions = ["reset_two_factor"]

    @admin.action(
        description=gettext_lazy("Reset two-factor authentication (lost phone)"),
        permissions=["change"],
    )
    def reset_two_factor(self, request, queryset):
        for person in queryset:
            two_factor.reset(person)
        self.message_user(
            request,
            ngettext(
                "Two-factor authentication reset for %(count)s person.",
                "Two-factor authentication reset for %(count)s people.",
                len(queryset),
            )
            % {"count": len(queryset)},
            messages.SUCCESS,
        )


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(Pole)
class PoleAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "label_start", "label_end"]
    inlines = [ThemeInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "category", "siren", "region", "country", "directory_consent"]
    list_filter = ["category", "region", "directory_consent"]
    search_fields = ["legal_name", "siren", "siret", "pic", "vat_number"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["organisation", "pole", "status", "start_date", "end_date"]
    list_filter = ["pole", "status"]
    autocomplete_fields = ["organisation"]


admin.site.register(Affiliation)
admin.site.register(PoleStaff)


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    """People's requests to be erased: erase (anonymise) or refuse with the reason they read."""

    list_display = ["__str__", "asked_at", "state", "decided_at", "decided_by"]
    list_filter = ["state"]
    readonly_fields = ["person", "reason", "state", "asked_at", "decided_at", "decided_by"]
    fields = [*readonly_fields, "outcome"]
    actions = ["erase_people", "refuse"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(
        description=gettext_lazy("Erase the selected people (anonymise them, keep the records)")
    )
    def erase_people(self, request, queryset):
        for erasure in queryset.filter(state=ErasureRequest.State.ASKED, person__isnull=False):
            try:
                privacy.erase(erasure.person, by=request.user, request=erasure)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, _("Erased: %(request)s") % {"request": erasure})

    @admin.action(description=gettext_lazy("Refuse, with the outcome written on each request"))
    def refuse(self, request, queryset):
        for erasure in queryset.filter(state=ErasureRequest.State.ASKED):
            try:
                privacy.refuse_erasure(erasure, by=request.user, outcome=erasure.outcome)
            except ValidationError:
                self.message_user(
                    request,
                    _("Write the outcome on %(request)s first: the person reads it.")
                    % {"request": erasure},
                    messages.ERROR,
                )

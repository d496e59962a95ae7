from django.contrib import admin

from .models import Funder, FundingLine, Programme
from .permissions import sync_funder


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "category"]
    list_filter = ["kind", "category"]
    filter_horizontal = ["reviewers"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        sync_funder(form.instance)  # reviewers added here see the funded projects, as in the portal


@admin.register(FundingLine)
class FundingLineAdmin(admin.ModelAdmin):
    list_display = ["project", "partner", "funder", "status", "amount_requested", "amount_granted"]
    list_filter = ["status", "funder"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    """The catalogue of programmes the pages offer; lines and their tranches are recorded on
    the project pages and in the API, where their rules (and locks) apply."""

    list_display = ["name", "funder", "instrument"]
    list_filter = ["instrument", "funder"]
    search_fields = ["name", "funder__name"]

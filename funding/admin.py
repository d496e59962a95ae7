from django.contrib import admin

from .models import Funder, FundingLine, Programme


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "category"]
    list_filter = ["kind", "category"]
    filter_horizontal = ["reviewers"]


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

from django.contrib import admin

from .models import Funder, FundingLine


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "category"]
    list_filter = ["kind", "category"]
    filter_horizontal = ["reviewers"]


@admin.register(FundingLine)
class FundingLineAdmin(admin.ModelAdmin):
    list_display = ["project", "partner", "funder", "status", "amount_requested", "amount_granted"]
    list_filter = ["status", "funder"]

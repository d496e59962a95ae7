from django.contrib import admin

from .models import Partner, Project, StateChange, Submission


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    autocomplete_fields = ["organisation"]


class SubmissionInline(admin.TabularInline):
    model = Submission
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    """Platform admins may correct data; roles changed here need `rebuild_permissions`."""

    list_display = ["acronym", "title", "state", "labelled_on", "created_at"]
    list_filter = ["state"]
    search_fields = ["acronym", "title"]
    inlines = [PartnerInline, SubmissionInline]


@admin.register(StateChange)
class StateChangeAdmin(admin.ModelAdmin):
    list_display = ["project", "from_state", "to_state", "by", "at"]

    def has_change_permission(self, request, obj=None):
        return False  # the lifecycle's history is a record, not a form

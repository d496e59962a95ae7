from django.contrib import admin

from .models import Partner, Project, StateChange, Submission
from .permissions import sync_project


class PartnerInline(admin.TabularInline):
    """Partners are added and corrected here; they leave through the project page, whose
    service checks what still depends on them and takes their report figures with them."""

    model = Partner
    extra = 0
    autocomplete_fields = ["organisation"]
    can_delete = False


class SubmissionInline(admin.TabularInline):
    model = Submission
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    """Platform admins may correct data; the grants follow what they save, as in the portal."""

    list_display = ["acronym", "title", "state", "labelled_on", "created_at"]
    list_filter = ["state"]
    search_fields = ["acronym", "title"]
    inlines = [PartnerInline, SubmissionInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        sync_project(form.instance)  # partners' roles, submissions: who sees and leads it


@admin.register(StateChange)
class StateChangeAdmin(admin.ModelAdmin):
    list_display = ["project", "from_state", "to_state", "by", "at"]

    def has_change_permission(self, request, obj=None):
        return False  # the lifecycle's history is a record, not a form

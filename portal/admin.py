from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Affiliation, Membership, Organisation, Person, Pole, PoleStaff, Theme


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

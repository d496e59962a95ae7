from django.urls import path, re_path

from . import views

urlpatterns = [
    path("", views.entry_list, name="audit_list"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.entry_export, name="audit_export"),
]

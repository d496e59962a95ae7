from django.urls import path

from . import two_factor_views as views

# Under /account/two-factor/: the person's own settings.
urlpatterns = [
    path("", views.two_factor_settings, name="two_factor"),
    path("setup/", views.two_factor_setup, name="two_factor_setup"),
    path("backup-codes/", views.two_factor_backup_codes, name="two_factor_backup_codes"),
    path("disable/", views.two_factor_disable, name="two_factor_disable"),
]

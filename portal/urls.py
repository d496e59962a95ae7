from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from outcomes import launch_urls, summary_views
from projects.views import invitations as invitation_views

from . import (
    account_views,
    import_views,
    matchmaking_views,
    membership_urls,
    notification_views,
    two_factor_views,
    views,
)

# Swagger UI's script comes from a URL with the split view (no inline script), but its
# stylesheet draws the icons from data: URIs: the one page whose images may be data:.
api_docs = csp_override({**settings.SECURE_CSP, "img-src": [CSP.SELF, "data:"]})(
    SpectacularSwaggerSplitView.as_view(url_name="schema")
)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/signup/", views.signup, name="signup"),
    path("account/", account_views.account, name="account"),
    path("account/data.json", account_views.personal_data, name="account_data"),
    path("account/erasure/", account_views.erasure, name="account_erasure"),
    path("account/two-factor/", include("portal.two_factor_urls")),
    path("accounts/login/code/", two_factor_views.signin_code, name="signin_code"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("directory/", views.directory, name="directory"),
    path("notifications/", notification_views.notification_list, name="notification_list"),
    path(
        "notifications/<int:pk>/read/",
        notification_views.notification_read,
        name="notification_read",
    ),
    path(
        "notifications/read/",
        notification_views.notification_read_all,
        name="notification_read_all",
    ),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:pk>/contact/",
        matchmaking_views.organisation_contact,
        name="organisation_contact",
    ),
    path("matchmaking/", matchmaking_views.post_list, name="post_list"),
    path("matchmaking/new/", matchmaking_views.post_create, name="post_create"),
    path("matchmaking/<int:pk>/", matchmaking_views.post_detail, name="post_detail"),
    path("matchmaking/<int:pk>/edit/", matchmaking_views.post_edit, name="post_edit"),
    path("matchmaking/<int:pk>/close/", matchmaking_views.post_close, name="post_close"),
    path("matchmaking/<int:pk>/reopen/", matchmaking_views.post_reopen, name="post_reopen"),
    path("matchmaking/<int:pk>/contact/", matchmaking_views.post_contact, name="post_contact"),
    path(
        "projects/<int:pk>/summary.pdf", summary_views.project_summary_pdf, name="project_summary"
    ),
    path("projects/", include("projects.urls")),
    path("projects/<int:pk>/funding/", include("funding.project_urls")),
    path("projects/<int:pk>/launches/", include(launch_urls.urlpatterns)),
    path("launches/", include(launch_urls.list_urlpatterns)),
    path("funding/", include("funding.urls")),
    path("impact/", include("outcomes.impact_urls")),
    path("", include("outcomes.urls")),
    path("invitations/<str:token>/", invitation_views.invitation_accept, name="invitation_accept"),
    path("poles/<int:pole_pk>/", include("projects.pole_urls")),
    path("poles/<int:pole_pk>/", include(membership_urls.pole_urlpatterns)),
    path("memberships/", include("portal.membership_urls")),
    path("poles/<int:pole_pk>/import/", import_views.member_import, name="member_import"),
    path(
        "poles/<int:pole_pk>/import/confirm/",
        import_views.member_import_confirm,
        name="member_import_confirm",
    ),
    path("account/tokens/", include("tokens.urls")),
    path("audit/", include("audit.urls")),
    path("api/v1/", include("portal.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", api_docs, name="api_docs"),
    path("admin/", admin.site.urls),
]

# A request larger than the settings allow is told so (portal.uploads), not a bare 400.
handler400 = "portal.uploads.bad_request"

import functools

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, reverse_lazy
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView
from django_otp.admin import OTPAdminSite

from config import js_texts, languages
from helpline import urls as helpline_urls

# Every admin page needs a verified second factor; signing in goes through the staff sign-in,
# which walks people without an authenticator through setting one up.
admin.site.__class__ = OTPAdminSite
# Editors and reviewers work here every day: it says whose site it is, not which framework built it.
admin.site.site_header = settings.SERVICE_NAME
admin.site.site_title = settings.SERVICE_NAME

handler400 = "config.views.bad_request"
handler403 = "config.views.forbidden"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"

FAVICON_MAX_AGE = 7 * 24 * 60 * 60


@functools.cache
def _favicon() -> bytes:
    return (settings.BASE_DIR / "static" / "favicon.ico").read_bytes()


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page names, on every site: answer it (pages name
    static/favicon.svg, which newer browsers use instead)."""
    response = HttpResponse(_favicon(), content_type="image/vnd.microsoft.icon")
    response["Cache-Control"] = f"public, max-age={FAVICON_MAX_AGE}"
    return response


urlpatterns = [
    path("favicon.ico", favicon),
    path("", languages.choose_language, name="choose-language"),
    path("", include("helpline.urls")),
    # A partner's link (/r/<code>/) is one link for every language; it picks the visitor's.
    path("", include("helpline.campaigns.urls")),
    path("admin/login/", RedirectView.as_view(url=reverse_lazy("staff-login"), query_string=True)),
    path("admin/", admin.site.urls),
    # Every page a seeker may be sent to, once per language: /en/, /nl/self-help/…, /ar/chat/.
    *i18n_patterns(
        path("script-texts.js", js_texts.script_texts, name="script-texts"),
        path("", include("resources.urls")),
        path("", include(helpline_urls.localized_urlpatterns)),
    ),
]

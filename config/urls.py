from django.contrib import admin
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView
from django_otp.admin import OTPAdminSite

# Every admin page needs a verified second factor; signing in goes through the staff sign-in,
# which walks people without an authenticator through setting one up.
admin.site.__class__ = OTPAdminSite

handler400 = "config.views.bad_request"
handler403 = "config.views.forbidden"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"

urlpatterns = [
    path("", include("resources.urls")),
    path("", include("helpline.urls")),
    path("admin/login/", RedirectView.as_view(url=reverse_lazy("staff-login"), query_string=True)),
    path("admin/", admin.site.urls),
]

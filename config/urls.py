from django.contrib import admin
from django.urls import include, path

handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"

urlpatterns = [
    path("", include("resources.urls")),
    path("", include("helpline.urls")),
    path("admin/", admin.site.urls),
]

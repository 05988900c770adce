from django.urls import path

from helpline.stats import views

# Under /staff/.
staff_urlpatterns = [
    path("stats/", views.stats_page, name="staff-stats"),
]

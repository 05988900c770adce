from django.urls import path

from helpline.stats import views

# Under /staff/.
staff_urlpatterns = [
    path("stats/", views.stats_page, name="staff-stats"),
    path("stats/figures.csv", views.stats_csv, name="staff-stats-csv"),
    path("stats/figures.json", views.stats_json, name="staff-stats-json"),
]

from django.urls import path

from resources import views

urlpatterns = [
    path("", views.home, name="home"),
    path("browse-safely/", views.browse_safely, name="browse-safely"),
    path("self-help/", views.resource_list, name="resource-list"),
    path("self-help/topics/<slug:slug>/", views.category, name="category"),
    path("self-help/preview/resource/<int:pk>/", views.resource_preview, name="resource-preview"),
    path("self-help/preview/module/<int:pk>/", views.module_preview, name="module-preview"),
    path("self-help/<slug:slug>/", views.resource_detail, name="resource-detail"),
    path("modules/", views.module_list, name="module-list"),
    path("modules/<slug:slug>/", views.module_detail, name="module-detail"),
    path("modules/<slug:slug>/exercises/<int:pk>/print/", views.exercise_print, name="exercise-print"),
    path("search/", views.search, name="search"),
]

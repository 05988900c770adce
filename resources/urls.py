from django.urls import path

from resources import views

urlpatterns = [
    path("", views.home, name="home"),
    path("browse-safely/", views.browse_safely, name="browse-safely"),
    path("self-help/", views.resource_list, name="resource-list"),
    path("modules/", views.resource_list, name="module-list"),
    path("search/", views.resource_list, name="search"),
]

from django.urls import path

from helpline.campaigns import views

# Unprefixed: the partner's link is the same in every language; the landing picks the language.
urlpatterns = [
    path("r/<str:code>/", views.landing, name="campaign-link"),
]

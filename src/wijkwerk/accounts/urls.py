from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("profiel/", views.profile, name="profile"),
    path("uitnodiging/<str:token>/", views.invitation, name="invitation"),
]

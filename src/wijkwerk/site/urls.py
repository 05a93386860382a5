from django.urls import path

from . import views

app_name = "site"
urlpatterns = [
    path("", views.home, name="home"),
    path("over-wijkgericht-werken/", views.about, name="about"),
]

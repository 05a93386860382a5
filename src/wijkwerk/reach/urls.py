from django.urls import path

from . import views

app_name = "reach"
urlpatterns = [
    path("<slug:municipality>/", views.municipality_reach, name="municipality"),
    path(
        "<slug:municipality>/kwartaal/<str:quarter>/",
        views.municipality_reach,
        name="municipality_quarter",
    ),
    path("<slug:municipality>/gebied/<slug:area>/", views.area_reach, name="area"),
    path("<slug:municipality>/raad/<int:pk>/", views.council_reach, name="council"),
    path("<slug:municipality>/inwoners/", views.population, name="population"),
]

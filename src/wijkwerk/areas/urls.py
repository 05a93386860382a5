from django.urls import path

from . import views

app_name = "areas"
urlpatterns = [
    path("<slug:municipality>/", views.municipality_detail, name="municipality"),
    path("<slug:municipality>/<slug:area>/", views.area_detail, name="area"),
]

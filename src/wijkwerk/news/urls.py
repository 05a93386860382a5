from django.urls import path

from . import views

app_name = "news"
urlpatterns = [
    path("<int:pk>/", views.post_detail, name="detail"),
    path("<int:pk>/afbeelding/", views.post_picture, name="picture"),
    path("<int:pk>/bewerken/", views.post_edit, name="edit"),
    path("<int:pk>/publiceren/", views.post_publish, name="publish"),
    path("<int:pk>/offline/", views.post_unpublish, name="unpublish"),
    path("gemeente/<slug:municipality>/", views.municipality_news, name="municipality"),
    path("gebied/<slug:municipality>/<slug:area>/", views.area_news, name="area"),
    path("gebied/<slug:municipality>/<slug:area>/schrijven/", views.post_create, name="create"),
]

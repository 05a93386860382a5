from django.urls import path

from . import views

app_name = "follows"
urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("<int:pk>/wijzigen/", views.change, name="change"),
    path("<str:kind>/<int:pk>/", views.toggle, name="toggle"),
    path("uit/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

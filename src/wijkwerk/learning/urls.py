from django.urls import path

from . import views

app_name = "learning"
urlpatterns = [
    path("", views.pilots, name="pilots"),
    path("pilots/<int:pk>/", views.pilot, name="pilot"),
    path("pilots/<int:pk>/wijzigen/", views.pilot_edit, name="pilot_edit"),
    path("leerpunten/", views.lessons, name="lessons"),
    path("leerpunten/<int:pk>/", views.lesson, name="lesson"),
    path("leerpunten/<int:pk>/vervolg/", views.lesson_follow_up, name="lesson_follow_up"),
    path("leerpunten/<int:pk>/beoordelen/", views.lesson_moderate, name="lesson_moderate"),
    path("beoordelen/", views.moderation, name="moderation"),
    path("<slug:municipality>/pilot-starten/", views.pilot_create, name="pilot_create"),
    path("<slug:municipality>/leerpunt-vastleggen/", views.lesson_record, name="lesson_record"),
    path("<slug:municipality>/leerpunt-insturen/", views.lesson_send, name="lesson_send"),
]

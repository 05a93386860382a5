from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("gemeente/<slug:municipality>/", views.municipality_list, name="municipality"),
    path("gebied/<slug:municipality>/<slug:area>/", views.area_list, name="area"),
    path("gebied/<slug:municipality>/<slug:area>/agenda.ics", views.area_feed, name="area_feed"),
    path("gebied/<slug:municipality>/<slug:area>/nieuw/", views.event_create, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/agenda.ics", views.event_ics, name="ics"),
    path("<int:pk>/aanmelden/", views.rsvp, name="rsvp"),
    path("<int:pk>/afmelden/", views.rsvp_cancel, name="rsvp_cancel"),
    path("<int:pk>/wijzigen/", views.event_edit, name="edit"),
    path("<int:pk>/annuleren/", views.event_cancel, name="cancel"),
    path("<int:pk>/aanmeldingen/", views.event_rsvps, name="rsvps"),
    path("<int:pk>/aanwezigheid/", views.event_attendance, name="attendance"),
    path("aanmelding/<str:token>/", views.rsvp_manage, name="rsvp_manage"),
]

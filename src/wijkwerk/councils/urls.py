from django.urls import path

from . import views

app_name = "councils"
urlpatterns = [
    path("<int:pk>/", views.council_detail, name="detail"),
    path("<int:pk>/quorum/", views.quorum, name="quorum"),
    path("<int:pk>/vergadering/nieuw/", views.meeting_create, name="meeting_create"),
    path("vergadering/<int:pk>/", views.meeting_detail, name="meeting"),
    path("vergadering/<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("vergadering/<int:pk>/documenten/", views.document_add, name="document_add"),
    path(
        "vergadering/<int:pk>/documenten/<int:document>/",
        views.document_download,
        name="document",
    ),
    path(
        "vergadering/<int:pk>/documenten/<int:document>/wijzigen/",
        views.document_edit,
        name="document_edit",
    ),
    path(
        "vergadering/<int:pk>/documenten/<int:document>/verwijderen/",
        views.document_remove,
        name="document_remove",
    ),
    path("agendapunt/<int:pk>/wijzigen/", views.agenda_edit, name="agenda_edit"),
    path("agendapunt/<int:pk>/verwijderen/", views.agenda_remove, name="agenda_remove"),
    path("agendapunt/<int:pk>/verplaatsen/", views.agenda_move, name="agenda_move"),
    path("vergadering/<int:pk>/notulen/", views.minutes, name="minutes"),
    path("agendapunt/<int:pk>/besluit/", views.decide, name="decide"),
    path("initiatief/<int:pk>/aan-de-raad/", views.hand_to_council, name="hand_to_council"),
]

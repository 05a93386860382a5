from django.urls import path

from . import views

app_name = "expertise"
urlpatterns = [
    path("", views.index, name="index"),
    path("nieuw/", views.offer_create, name="offer_create"),
    path("zoeken/", views.search, name="search"),
    path("<int:pk>/", views.offer_detail, name="offer"),
    path("<int:pk>/wijzigen/", views.offer_edit, name="offer_edit"),
    path("<int:pk>/pauzeren/", views.offer_pause, name="offer_pause"),
    path("<int:pk>/verwijderen/", views.offer_remove, name="offer_remove"),
    path("<int:pk>/uitnodigen/", views.invite, name="invite"),
    path("uitnodigingen/", views.invitations, name="invitations"),
    path("uitnodigingen/<int:pk>/", views.invitation_detail, name="invitation"),
    path("vragen/", views.question_list, name="questions"),
    path("vragen/nieuw/", views.question_create, name="question_create"),
    path("vragen/<int:pk>/", views.question_detail, name="question"),
    path("vragen/<int:pk>/beantwoorden/", views.question_answer, name="question_answer"),
    path("vragen/<int:pk>/sluiten/", views.question_close, name="question_close"),
    path("vragen/<int:pk>/uitkomst/", views.question_outcome, name="question_outcome"),
]

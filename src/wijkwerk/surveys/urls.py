from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("nieuw/", views.create, name="create"),
    path("nieuwe-poll/", views.create_poll, name="create_poll"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/uitslag/", views.results, name="results"),
    path("<int:pk>/beheer/", views.manage, name="manage"),
    path("<int:pk>/instellingen/", views.edit, name="edit"),
    path("<int:pk>/vragen/nieuw/", views.question_add, name="question_add"),
    path("<int:pk>/vragen/<int:qid>/", views.question_edit, name="question_edit"),
    path("<int:pk>/vragen/<int:qid>/verplaatsen/", views.question_move, name="question_move"),
    path("<int:pk>/vragen/<int:qid>/verwijderen/", views.question_delete, name="question_delete"),
    path("<int:pk>/publiceren/", views.publish, name="publish"),
    path("<int:pk>/sluiten/", views.close, name="close"),
    path("<int:pk>/antwoorden.csv", views.export_csv, name="export_csv"),
    path("<int:pk>/antwoorden.xlsx", views.export_xlsx, name="export_xlsx"),
]

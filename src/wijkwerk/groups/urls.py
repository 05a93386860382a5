from django.urls import path

from . import views

app_name = "groups"
urlpatterns = [
    path("nieuw/", views.create, name="create"),
    path("uitnodiging/<str:token>/", views.invitation, name="invitation"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/wijzigen/", views.edit, name="edit"),
    path("<int:pk>/lid-worden/", views.join, name="join"),
    path("<int:pk>/verlaten/", views.leave, name="leave"),
    path("<int:pk>/mijn-naam/", views.name_shown, name="name_shown"),
    path("<int:pk>/beheer/", views.manage, name="manage"),
    path("<int:pk>/verzoeken/<int:request_pk>/", views.request_answer, name="request_answer"),
    path("<int:pk>/uitnodigen/", views.invite, name="invite"),
    path("<int:pk>/leden/<int:member_pk>/rol/", views.role, name="role"),
    path("<int:pk>/contact/", views.contact, name="contact"),
    path("<int:pk>/wijkwerker/", views.worker, name="worker"),
    path("<int:pk>/opheffen/", views.dissolve, name="dissolve"),
    path("<slug:municipality>/", views.municipality_list, name="municipality"),
    path("<slug:municipality>/<slug:area>/", views.area_list, name="area"),
]

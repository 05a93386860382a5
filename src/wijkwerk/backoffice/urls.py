from django.urls import path

from . import views

app_name = "backoffice"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<slug:municipality>/gebieden/", views.area_list, name="area_list"),
    path("<slug:municipality>/gebieden/nieuw/", views.area_create_view, name="area_create"),
    path("<slug:municipality>/gebieden/<int:pk>/", views.area_edit, name="area_edit"),
    path("<slug:municipality>/rollen/", views.role_list, name="role_list"),
    path("<slug:municipality>/rollen/nieuw/", views.role_assign_view, name="role_assign"),
    path("<slug:municipality>/rollen/uitnodigen/", views.role_invite_view, name="role_invite"),
    path(
        "<slug:municipality>/rollen/uitnodigingen/<int:pk>/intrekken/",
        views.invitation_withdraw_view,
        name="invitation_withdraw",
    ),
    path("<slug:municipality>/personen/<int:pk>/", views.person_view, name="person"),
    path(
        "<slug:municipality>/rollen/<int:pk>/intrekken/",
        views.role_revoke_view,
        name="role_revoke",
    ),
    path("<slug:municipality>/wijkraden/", views.council_list, name="council_list"),
    path("<slug:municipality>/wijkraden/nieuw/", views.council_create_view, name="council_create"),
    path("<slug:municipality>/wijkraden/<int:pk>/", views.council_edit, name="council_edit"),
    path(
        "<slug:municipality>/wijkraden/<int:pk>/leden/",
        views.council_member_add_view,
        name="council_member_add",
    ),
    path(
        "<slug:municipality>/wijkraden/<int:pk>/leden/<int:membership>/verwijderen/",
        views.council_member_remove_view,
        name="council_member_remove",
    ),
    path("<slug:municipality>/bewonersgroepen/", views.group_list, name="group_list"),
    path(
        "<slug:municipality>/bewonersgroepen/nieuw/",
        views.group_create_view,
        name="group_create",
    ),
    path("<slug:municipality>/bewonersgroepen/<int:pk>/", views.group_edit, name="group_edit"),
    path(
        "<slug:municipality>/bewonersgroepen/<int:pk>/leden/",
        views.group_member_add_view,
        name="group_member_add",
    ),
    path(
        "<slug:municipality>/bewonersgroepen/<int:pk>/leden/<int:membership>/verwijderen/",
        views.group_member_remove_view,
        name="group_member_remove",
    ),
    path("<slug:municipality>/wijzigingen/", views.audit_log, name="audit_log"),
]

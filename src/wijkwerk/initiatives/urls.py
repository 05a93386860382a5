from django.urls import path

from . import views

app_name = "initiatives"
urlpatterns = [
    path("", views.initiative_list, name="list"),
    path("nieuw/", views.initiative_create, name="create"),
    path("mijn-initiatieven/", views.my_initiatives, name="mine"),
    path("mijn-gebieden/", views.dashboard, name="dashboard"),
    path("mijn-gebieden/bulk/", views.dashboard_bulk, name="dashboard_bulk"),
    path("<int:pk>/", views.initiative_detail, name="detail"),
    path("<int:pk>/bewerken/", views.initiative_edit, name="edit"),
    path("<int:pk>/indienen/", views.initiative_submit, name="submit"),
    path("<int:pk>/bijlagen/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/bijlagen/<int:attachment>/", views.attachment_download, name="attachment"),
    path(
        "<int:pk>/bijlagen/<int:attachment>/verwijderen/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("<int:pk>/besluiten/<int:decision>/", views.decision_letter, name="decision"),
    path("<int:pk>/steunen/", views.support, name="support"),
    path("<int:pk>/hulp-aanbieden/", views.offer_help, name="offer_help"),
    path("<int:pk>/berichten/", views.post_message, name="message"),
    path("<int:pk>/stap/<slug:action>/", views.transition, name="transition"),
    path("<int:pk>/verantwoording/", views.accountability, name="accountability"),
    path("<int:pk>/toewijzen/", views.assign, name="assign"),
    path("<int:pk>/terugbetaling/", views.repayment, name="repayment"),
    path("<int:pk>/rekening/", views.payee, name="payee"),
    path("<int:pk>/uitbetalen/", views.pay, name="pay"),
]

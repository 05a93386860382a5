from django.urls import path

from . import views

app_name = "challenges"
urlpatterns = [
    path("", views.register, name="register"),
    path("nieuw/", views.create, name="create"),
    path("werklijst/", views.worklist, name="worklist"),
    path("instellingen/", views.settings_view, name="settings"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bewerken/", views.edit, name="edit"),
    path("<int:pk>/indienen/", views.submit, name="submit"),
    path("<int:pk>/bijlagen/<int:attachment>/", views.attachment, name="attachment"),
    path("<int:pk>/besluit/", views.decide, name="decide"),
    path("<int:pk>/stap/<slug:action>/", views.step, name="step"),
    path("<int:pk>/beeindigen/", views.end, name="end"),
    path("<int:pk>/overeenkomst/", views.agreement, name="agreement"),
    path("<int:pk>/geld/", views.money, name="money"),
    path("<int:pk>/voortgang/", views.report, name="report"),
    path("<int:pk>/besluiten/<int:decision>/brief.pdf", views.letter, name="letter"),
]

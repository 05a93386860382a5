from django.urls import path

from . import views

app_name = "funds"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/boekingen/", views.ledger, name="ledger"),
    path("<int:pk>/correctie/", views.correct, name="correct"),
    path("<int:pk>/betalingen/", views.payments, name="payments"),
    path("<int:pk>/betalingen/<int:batch>.csv", views.payment_batch_csv, name="payment_batch_csv"),
    path("<int:pk>/betalingen/<int:batch>.xml", views.payment_batch_xml, name="payment_batch_xml"),
    path("<int:pk>/bewerken/", views.fund_edit, name="fund_edit"),
    path("nieuw/", views.fund_edit, name="fund_create"),
    path("regelingen/", views.schemes, name="schemes"),
    path("regelingen/nieuw/", views.scheme_edit, name="scheme_create"),
    path("regelingen/<int:pk>/", views.scheme_edit, name="scheme_edit"),
    path("categorieen/nieuw/", views.category_edit, name="category_create"),
    path("categorieen/<int:pk>/", views.category_edit, name="category_edit"),
]

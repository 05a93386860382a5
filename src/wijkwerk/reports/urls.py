from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("concepten/", views.drafts, name="drafts"),
    path("<slug:municipality>/<str:quarter>/", views.report_detail, name="detail"),
    path("<slug:municipality>/<str:quarter>/pdf/", views.report_pdf, name="pdf"),
    path("<slug:municipality>/<str:quarter>/bewerken/", views.edit, name="edit"),
    path("<slug:municipality>/<str:quarter>/opnieuw/", views.regenerate, name="regenerate"),
    path("<slug:municipality>/<str:quarter>/publiceren/", views.publish, name="publish"),
]

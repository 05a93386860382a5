from django.urls import path

from . import manage_views, views

app_name = "site"
urlpatterns = [
    path("", views.home, name="home"),
    path("over-wijkgericht-werken/", views.about, name="about"),
    # The well-known addresses of a Dutch government site (ADR 005): exactly these paths.
    path("toegankelijkheid", views.accessibility_index, name="accessibility_index"),
    path("privacy", views.privacy_index, name="privacy_index"),
    path("contact", views.contact_index, name="contact_index"),
    # Per municipality; before the areas' "<municipality>/<area>/" in the root URL conf.
    path("<slug:municipality>/toegankelijkheid/", views.accessibility, name="accessibility"),
    path("<slug:municipality>/privacy/", views.privacy, name="privacy"),
    path("<slug:municipality>/contact/", views.contact, name="contact"),
    # The back office's pages for them.
    path(
        "beheer/<slug:municipality>/verklaringen/",
        manage_views.statement_list,
        name="statement_list",
    ),
    path(
        "beheer/<slug:municipality>/verklaringen/<slug:kind>/",
        manage_views.statement_edit,
        name="statement_edit",
    ),
]

"""/api/: the human page about the open data API, and version 1 of the API under /api/v1
(ninja's operations and OpenAPI document, each wrapped by `views.api_view`)."""

from django.urls import URLPattern, path, re_path

from . import views
from .api import api

app_name = "opendata"


def _v1() -> list[URLPattern]:
    patterns = []
    for pattern in api.urls[0]:
        if not isinstance(pattern, URLPattern) or pattern.name == "api-root":
            continue  # the base is views.index, at /api/v1 without a slash
        route = str(pattern.pattern)
        patterns.append(path(f"v1/{route}", views.api_view(pattern.callback), name=pattern.name))
    return patterns


urlpatterns = [
    path("", views.docs, name="docs"),
    path("v1", views.api_view(views.index), name="index"),
    *_v1(),
    re_path(r"^v1/(?P<rest>.*)$", views.api_view(views.not_found), name="not_found"),
]

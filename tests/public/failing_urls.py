"""URL conf for the 500 test: the site's URLs plus one view that fails."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from wijkwerk.urls import handler500, urlpatterns


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("broken on purpose")


urlpatterns = [path("kapot/", broken), *urlpatterns]
__all__ = ["handler500", "urlpatterns"]

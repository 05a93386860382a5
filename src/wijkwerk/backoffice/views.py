from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rules.contrib.views import permission_required


@permission_required("backoffice.access", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/dashboard.html")

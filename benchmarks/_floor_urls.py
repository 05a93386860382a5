"""The least a ballot can cost on this stack (``./dev bench budgeting``'s floor).

One view (beside the site's own URLs) behind the site's whole middleware (session from the
database, the logged-in user, CSRF, language, security headers, the officials' two-factor
check): it writes one row (an audit event, in a transaction) and answers with a
receipt-shaped code in a few bytes of HTML. No round, no plans, no check of the choices, no
template: whatever a real ballot costs above this is the platform's own work; what this costs
is Django's, PostgreSQL's and the load generator's.
"""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from wijkwerk import urls as site_urls
from wijkwerk.budgeting.services.voting import new_receipt_code
from wijkwerk.core.models import AuditEvent


@require_POST
@login_required
def floor(request: HttpRequest) -> HttpResponse:
    with transaction.atomic():
        AuditEvent.objects.create(
            actor=request.user, action="bench.floor", object_type="bench", object_id="1"
        )
    return HttpResponse(f"<!DOCTYPE html><title>ok</title><p>{new_receipt_code()}</p>")


# beside the site's own URLs, so that the resolver and the error pages are the site's
urlpatterns = [path("vloer/", floor), *site_urls.urlpatterns]

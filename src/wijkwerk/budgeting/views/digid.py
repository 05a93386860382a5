"""DigiD and eHerkenning: a way into a round's ballot box through the OpenID Connect broker.

    GET <pk>/digid/      to the broker's login (?als=ondernemer: eHerkenning), the state, nonce
                         and PKCE verifier in the (database) session
    GET digid/terug/     back from the broker: the ID token validated (Authlib: signature,
                         issuer, audience, expiry, nonce), the assurance level and the claims
                         checked (oidc.identity), the person admitted (services/digid.admit)
                         with a pass in the session, and on to the ballot

A login that fails says why in Dutch with a 4xx status (400 for a response we cannot accept,
403 for someone who may not vote this way, 429 for too many logins begun from one address, 503
when the broker cannot be reached) and grants no pass. Nothing of the login is logged or kept:
not the subject, not the BSN, not the token.
"""

from __future__ import annotations

import joserfc.errors
import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from wijkwerk.core import ratelimit
from wijkwerk.core.ratelimit import RateLimited

from .. import oidc
from ..eligibility import grant_pass
from ..models import BudgetProcess
from ..refusals import BudgetRefused
from ..services import digid
from ..services.register import bsn_hash
from .voting import _closed, _get, _is_open, _visitor, gate

PENDING = "budgeting.digid"
EXPIRED = (joserfc.errors.ExpiredTokenError,)
INVALID = (joserfc.errors.JoseError, OAuthError, ValueError)
STATUS = {"not_eligible": 403, "digid_level": 403}


def _failed(
    request: HttpRequest,
    message: str,
    *,
    process: BudgetProcess | None = None,
    status: int = 400,
) -> HttpResponse:
    return render(
        request,
        "budgeting/voting/digid_failed.html",
        {"process": process, "message": message},
        status=status,
    )


@never_cache
@gate
def digid_start(request: HttpRequest, pk: int, process: BudgetProcess) -> HttpResponse:
    if not _is_open(process):
        return _closed(request, process)
    conf = oidc.config()
    if conf is None or not process.vote_with_digid:
        return _failed(
            request, _("In this round you cannot vote with DigiD."), process=process, status=404
        )
    try:
        ratelimit.limit(_visitor(request), "digid")
    except RateLimited as limited:
        return _failed(request, limited.messages[0], process=process, status=429)
    entrepreneur = request.GET.get("als") == "ondernemer" and process.entrepreneurs_vote
    kind = oidc.Kind.EHERKENNING if entrepreneur else oidc.Kind.DIGID
    try:
        response = oidc.client(conf).authorize_redirect(
            request,
            request.build_absolute_uri(reverse("budgeting:digid_return")),
            scope=conf.scopes[kind],
            acr_values=conf.minimum,
        )
    except (requests.RequestException, *INVALID):
        return _unavailable(request, process, kind)
    request.session[PENDING] = {"process": process.pk, "kind": kind}
    return response


def _unavailable(request: HttpRequest, process: BudgetProcess | None, kind: str) -> HttpResponse:
    way = _("eHerkenning") if kind == oidc.Kind.EHERKENNING else _("DigiD")
    return _failed(
        request,
        _("%(way)s cannot be reached right now. Try again later.") % {"way": way},
        process=process,
        status=503,
    )


@never_cache
def digid_return(request: HttpRequest) -> HttpResponse:
    pending = request.session.pop(PENDING, None)
    conf = oidc.config()
    process = _get(request, pending["process"]) if isinstance(pending, dict) else None
    if conf is None or process is None or not request.GET.get("state"):
        return _failed(
            request,
            _(
                "This login does not belong to a vote in this browser (any more). Start again "
                "from the round's page."
            ),
        )
    kind = pending["kind"] if pending["kind"] in (oidc.Kind.DIGID, oidc.Kind.EHERKENNING) else ""
    if not _is_open(process) or not process.vote_with_digid:
        return _closed(request, process)
    way = _("eHerkenning") if kind == oidc.Kind.EHERKENNING else _("DigiD")
    if request.GET.get("error") == "access_denied":
        return _failed(
            request, _("You cancelled logging in with %(way)s.") % {"way": way}, process=process
        )
    try:
        token = oidc.client(conf).authorize_access_token(
            request, leeway=conf.leeway, claims_options=oidc.claims_options(conf)
        )
    except MismatchingStateError:
        return _failed(
            request,
            _(
                "This login does not belong to a vote in this browser (any more). Start again "
                "from the round's page."
            ),
            process=process,
        )
    except EXPIRED:
        return _failed(
            request,
            _("The login with %(way)s has expired. Log in again.") % {"way": way},
            process=process,
        )
    except requests.RequestException:
        return _unavailable(request, process, kind)
    except INVALID:
        return _failed(
            request,
            _("The login with %(way)s could not be verified. Log in again.") % {"way": way},
            process=process,
        )
    claims = token.get("userinfo")
    if not claims:
        return _failed(
            request,
            _("The login with %(way)s could not be verified. Log in again.") % {"way": way},
            process=process,
        )
    try:
        identity = oidc.identity(
            conf,
            kind,
            dict(claims),
            hash_bsn=lambda bsn: bsn_hash(process.municipality_id, bsn),
            hash_kvk=lambda kvk: oidc.kvk_hash(process.municipality_id, kvk),
        )
        admitted = digid.admit(process, identity)
    except BudgetRefused as refused:
        return _failed(
            request,
            refused.messages[0],
            process=process,
            status=STATUS.get(refused.code or "", 400),
        )
    grant_pass(request.session, process, "digid", **admitted)
    return HttpResponseRedirect(reverse("budgeting:ballot", args=[process.pk]))

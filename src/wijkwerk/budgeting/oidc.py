"""DigiD and eHerkenning through the municipality's OpenID Connect broker.

Dutch municipalities reach DigiD and eHerkenning through a broker that speaks OpenID Connect
(Signicat, a Keycloak set-up, ...). The client is Authlib's Django integration: it keeps the
state, nonce and PKCE verifier in the (database) session, fetches the broker's discovery
document and keys, exchanges the code and validates the ID token (signature by the broker's
JWKS, issuer, audience, expiry, nonce). What this module adds: the settings, the assurance level
and the claims the round needs (`identity`), read once from the validated ID token and turned
at once into keyed hashes: the BSN and the KvK number are never stored, logged or put in the
session.

Settings (from the environment, `settings.py`; no secret in the repository):

    WIJKWERK_OIDC_ISSUER          the broker's issuer; its discovery document is at
                                  ISSUER/.well-known/openid-configuration (empty: no DigiD)
    WIJKWERK_OIDC_CLIENT_ID       wijkwerk's client at the broker
    WIJKWERK_OIDC_CLIENT_SECRET   its secret (or WIJKWERK_OIDC_CLIENT_SECRET_FILE)
    WIJKWERK_OIDC_SCOPE_DIGID, WIJKWERK_OIDC_SCOPE_EHERKENNING   the scopes asked for
    WIJKWERK_OIDC_CLAIM_BSN, _BIRTH_DATE, _AGE, _POSTCODE, _HOUSE_NUMBER, _KVK   claim names
                                  (a broker that passes on an age, not a birth date: the age
                                  on the day of the login is checked against the round's)
    WIJKWERK_OIDC_ACR_LEVELS      the assurance levels from low to high (`ACR_LEVELS`)
    WIJKWERK_OIDC_MIN_ACR         the lowest level accepted (a value of the list)
    WIJKWERK_OIDC_LEEWAY          seconds of clock difference allowed on the ID token's times
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .refusals import BudgetRefused

# The assurance levels by rank, lowest first; values on one line are equal. DigiD's levels as
# Logius names them in SAML (Basis, Midden, Substantieel, Hoog), eHerkenning's (EH2 to EH4) and
# eIDAS's (low, substantial, high). `WIJKWERK_OIDC_ACR_LEVELS` replaces the list: levels separated
# by ";", equal values within a level by ",".
ACR_LEVELS = (
    "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport,"
    "urn:etoegang:core:assurance-class:loa2,http://eidas.europa.eu/LoA/low;"
    "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract,"
    "urn:etoegang:core:assurance-class:loa2plus;"
    "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard,"
    "urn:etoegang:core:assurance-class:loa3,http://eidas.europa.eu/LoA/substantial;"
    "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI,"
    "urn:etoegang:core:assurance-class:loa4,http://eidas.europa.eu/LoA/high"
)
# DigiD Midden (the app or an SMS check), as most municipalities ask for a vote
MIN_ACR = "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"


class Kind:
    DIGID = "digid"
    EHERKENNING = "eherkenning"


@dataclass(frozen=True)
class Config:
    issuer: str
    client_id: str
    client_secret: str
    scopes: dict[str, str]
    claims: dict[str, str]
    levels: dict[str, int]
    minimum: str
    leeway: int


def config() -> Config | None:
    """The broker's settings, or None where DigiD is not set up."""
    issuer = (getattr(settings, "WIJKWERK_OIDC_ISSUER", "") or "").rstrip("/")
    client_id = getattr(settings, "WIJKWERK_OIDC_CLIENT_ID", "") or ""
    if not issuer or not client_id:
        return None
    levels: dict[str, int] = {}
    text = getattr(settings, "WIJKWERK_OIDC_ACR_LEVELS", "") or ACR_LEVELS
    for rank, level in enumerate(text.split(";"), start=1):
        for value in level.split(","):
            if value.strip():
                levels[value.strip()] = rank
    claims = {"bsn": "bsn", "birth_date": "birthdate", "age": "age", "postcode": "postcode"}
    claims |= {"house_number": "huisnummer", "kvk": "kvk"}
    claims |= getattr(settings, "WIJKWERK_OIDC_CLAIMS", {}) or {}
    return Config(
        issuer=issuer,
        client_id=client_id,
        client_secret=getattr(settings, "WIJKWERK_OIDC_CLIENT_SECRET", "") or "",
        scopes={
            Kind.DIGID: getattr(settings, "WIJKWERK_OIDC_SCOPE_DIGID", "") or "openid digid",
            Kind.EHERKENNING: getattr(settings, "WIJKWERK_OIDC_SCOPE_EHERKENNING", "")
            or "openid eherkenning",
        },
        claims=claims,
        levels=levels,
        minimum=getattr(settings, "WIJKWERK_OIDC_MIN_ACR", "") or MIN_ACR,
        leeway=int(getattr(settings, "WIJKWERK_OIDC_LEEWAY", 60)),
    )


_clients: dict[tuple[str, str, str], DjangoOAuth2App] = {}


def client(conf: Config) -> DjangoOAuth2App:
    """Authlib's client for the broker. Kept per process only as a cache of the broker's
    discovery document and keys (fetched again when a key is unknown); everything a login
    needs across requests is in the session."""
    key = (conf.issuer, conf.client_id, conf.client_secret)
    if key not in _clients:
        oauth = OAuth()
        _clients[key] = oauth.register(
            "broker",
            client_id=conf.client_id,
            client_secret=conf.client_secret,
            server_metadata_url=f"{conf.issuer}/.well-known/openid-configuration",
            client_kwargs={"code_challenge_method": "S256", "timeout": 10},
        )
    return _clients[key]


def claims_options(conf: Config) -> dict[str, Any]:
    """What the ID token must say besides a valid signature, expiry and nonce: our broker as
    its issuer and wijkwerk among its audience. (Authlib checks the audience only when told:
    on its own it accepts a token for another audience whose `azp` names our client.)"""
    return {
        "iss": {"essential": True, "values": [conf.issuer]},
        "aud": {"essential": True, "values": [conf.client_id]},
    }


def _name(kind: str) -> str:
    return _("eHerkenning") if kind == Kind.EHERKENNING else _("DigiD")


@dataclass(frozen=True)
class Identity:
    """Who logged in, as far as a round needs to know: keyed hashes instead of the BSN and the
    KvK number, and the rest of the claims read into types."""

    kind: str
    bsn_hash: str = ""
    kvk_hash: str = ""
    kvk_number: str = ""  # for finding the business in the register extract; never stored
    birth_date: datetime.date | None = None
    age: int | None = None  # where the broker passes on an age instead of a birth date
    postcode: str = ""
    house_number: str = ""


POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Za-z]{2})$")
BSN = re.compile(r"^[0-9]{8,9}$")
KVK = re.compile(r"^[0-9]{8}$")


def check_level(conf: Config, kind: str, acr: Any) -> None:
    """Refuses a login below the round's assurance level (or of a level not on the list)."""
    rank = conf.levels.get(str(acr or ""), 0)
    if rank < conf.levels.get(conf.minimum, len(conf.levels) + 1):
        raise BudgetRefused(
            _(
                "You logged in with %(way)s at too low a level of assurance for voting. "
                "Log in again with the %(way)s app or with an SMS check."
            )
            % {"way": _name(kind)},
            "digid_level",
        )


def _claim(conf: Config, claims: dict[str, Any], name: str) -> str:
    value = claims.get(conf.claims[name])
    return str(value).strip() if value not in (None, "") else ""


def identity(
    conf: Config, kind: str, claims: dict[str, Any], hash_bsn: Any, hash_kvk: Any
) -> Identity:
    """The validated ID token's claims as an `Identity`, after the assurance level; refuses a
    login whose claims miss what every round needs (the BSN for DigiD, the KvK number for
    eHerkenning) or are malformed. `hash_bsn(bsn)` and `hash_kvk(kvk)` give the keyed hashes."""
    check_level(conf, kind, claims.get("acr"))
    name = _name(kind)
    birth_date = None
    if raw := _claim(conf, claims, "birth_date"):
        try:
            birth_date = datetime.date.fromisoformat(raw[:10])
        except ValueError:
            raise BudgetRefused(
                _("%(way)s passed on a date of birth we cannot read.") % {"way": name},
                "digid_claims",
            ) from None
    age = None
    if (raw := _claim(conf, claims, "age")) and birth_date is None:
        if not raw.isdigit() or int(raw) > 130:
            raise BudgetRefused(
                _("%(way)s passed on an age we cannot read.") % {"way": name}, "digid_claims"
            )
        age = int(raw)
    postcode = ""
    if raw := _claim(conf, claims, "postcode"):
        match = POSTCODE.match(raw)
        if not match:
            raise BudgetRefused(
                _("%(way)s passed on a postcode we cannot read.") % {"way": name},
                "digid_claims",
            )
        postcode = (match.group(1) + match.group(2)).upper()
    house_number = _claim(conf, claims, "house_number")
    if kind == Kind.EHERKENNING:
        kvk = _claim(conf, claims, "kvk")
        if not KVK.match(kvk):
            raise BudgetRefused(
                _(
                    "eHerkenning did not pass on the KvK number of your business: without it you "
                    "cannot vote as an entrepreneur."
                ),
                "digid_claims",
            )
        return Identity(
            kind=kind,
            kvk_hash=hash_kvk(kvk),
            kvk_number=kvk,
            postcode=postcode,
            house_number=house_number,
        )
    bsn = _claim(conf, claims, "bsn")
    if not BSN.match(bsn):
        raise BudgetRefused(
            _(
                "DigiD did not pass on your citizen service number (BSN): without it we cannot "
                "tell whether you already voted."
            ),
            "digid_claims",
        )
    return Identity(
        kind=kind,
        bsn_hash=hash_bsn(bsn.zfill(9)),
        birth_date=birth_date,
        age=age,
        postcode=postcode,
        house_number=house_number,
    )


def kvk_hash(municipality_id: int, kvk: str) -> str:
    """The keyed hash a business is known by in the register of who voted."""
    return salted_hmac(
        "wijkwerk.budgeting.kvk", f"{municipality_id}:{kvk}", algorithm="sha256"
    ).hexdigest()

"""A real OpenID Connect provider for the DigiD tests: tools/oidc-provider (panva's certified
`oidc-provider` on Node), started on a free port for the test session, and a login through its
page with `requests` (no mocked HTTP: wijkwerk's Authlib client fetches the discovery document,
the keys and the token from it as it would from the municipality's broker).

Its clients: `wijkwerk`, `wijkwerk-kort` (ID tokens valid 1 second: an expired token) and
`wijkwerk-verkeerd` (a broker that puts another audience in the ID token). Its accounts are
`ACCOUNTS`, chosen by id on the login page."""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from .conftest import free_port

TOOL = Path(__file__).resolve().parent.parent / "tools" / "oidc-provider"
SECRET = "test-secret-not-for-production"
MIDDEN = "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"
BASIS = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
EH3 = "urn:etoegang:core:assurance-class:loa3"
DORST_ZUID_POSTCODE = "4849PA"
RESIDENT_BSN = "999993653"

ACCOUNTS: list[dict[str, Any]] = [
    {
        "id": "bewoner",
        "label": "Sanne de Wit, Bosweg 12, Dorst (DigiD Midden)",
        "acr": MIDDEN,
        "claims": {
            "bsn": RESIDENT_BSN,
            "birthdate": "1980-05-01",
            "postcode": "4849 PA",
            "huisnummer": "12",
        },
    },
    {
        "id": "te-jong",
        "label": "Daan de Wit, 10 jaar (DigiD Midden)",
        "acr": MIDDEN,
        "claims": {
            "bsn": "999990019",
            "birthdate": "2016-03-01",
            "postcode": DORST_ZUID_POSTCODE,
            "huisnummer": "12",
        },
    },
    {
        "id": "zonder-bsn",
        "label": "Zonder BSN (DigiD Midden)",
        "acr": MIDDEN,
        "claims": {"birthdate": "1980-05-01", "postcode": DORST_ZUID_POSTCODE, "huisnummer": "3"},
    },
    {
        "id": "laag-niveau",
        "label": "Met DigiD Basis (alleen wachtwoord)",
        "acr": BASIS,
        "claims": {
            "bsn": "999990020",
            "birthdate": "1970-01-01",
            "postcode": DORST_ZUID_POSTCODE,
            "huisnummer": "5",
        },
    },
    {
        "id": "elders",
        "label": "Woont in Breda (DigiD Midden)",
        "acr": MIDDEN,
        "claims": {
            "bsn": "999990032",
            "birthdate": "1970-01-01",
            "postcode": "4811AA",
            "huisnummer": "1",
        },
    },
    {
        "id": "leeftijd-15",
        "label": "Alleen een leeftijd: 15 (DigiD Midden)",
        "acr": MIDDEN,
        "claims": {
            "bsn": "999990044",
            "age": 15,
            "postcode": DORST_ZUID_POSTCODE,
            "huisnummer": "8",
        },
    },
    {
        "id": "leeftijd-40",
        "label": "Alleen een leeftijd: 40 (DigiD Midden)",
        "acr": MIDDEN,
        "claims": {
            "bsn": "999990056",
            "age": 40,
            "postcode": DORST_ZUID_POSTCODE,
            "huisnummer": "9",
        },
    },
    {
        "id": "ondernemer",
        "label": "Bakkerij Dorst (eHerkenning EH3)",
        "acr": EH3,
        "claims": {"kvk": "12345678", "postcode": DORST_ZUID_POSTCODE, "huisnummer": "20"},
    },
]

REDIRECT_URIS = [
    f"http://{host}/buurtbudget/digid/terug/" for host in ("testserver", "localhost", "127.0.0.1")
]
CLIENTS = [
    {"client_id": "wijkwerk", "client_secret": SECRET, "redirect_uris": REDIRECT_URIS},
    {
        "client_id": "wijkwerk-kort",
        "client_secret": SECRET,
        "redirect_uris": REDIRECT_URIS,
        "id_token_ttl": 1,
    },
    {
        "client_id": "wijkwerk-verkeerd",
        "client_secret": SECRET,
        "redirect_uris": REDIRECT_URIS,
        "id_token_audience": "ander-portaal",
    },
]


@dataclass
class Provider:
    issuer: str

    def configure(self, settings: Any, client_id: str = "wijkwerk", leeway: int = 60) -> None:
        settings.WIJKWERK_OIDC_ISSUER = self.issuer
        settings.WIJKWERK_OIDC_CLIENT_ID = client_id
        settings.WIJKWERK_OIDC_CLIENT_SECRET = SECRET
        settings.WIJKWERK_OIDC_LEEWAY = leeway

    def login(self, authorize_url: str, account: str, *, cancel: bool = False) -> str:
        """Log in at the provider's page as `account` (or cancel); the URL the provider sends
        the browser back to (wijkwerk's callback, with its query)."""
        http = requests.Session()
        page = http.get(authorize_url, timeout=10)
        assert page.status_code == 200, page.text
        action = re.search(r'<form method="post" action="([^"]+)"', page.text)
        assert action, page.text
        answer = http.post(
            urljoin(page.url, action.group(1)),
            data={"account": account, "submit": "cancel" if cancel else "login"},
            allow_redirects=False,
            timeout=10,
        )
        # the provider's own redirects (resume, the consent it grants itself), up to wijkwerk
        for _step in range(10):
            assert answer.status_code in (302, 303), answer.text
            location = urljoin(answer.url, answer.headers["Location"])
            if not location.startswith(self.issuer):
                return location
            answer = http.get(location, allow_redirects=False, timeout=10)
        raise AssertionError("the provider never sent the browser back")


def start(accounts: list[dict[str, Any]], tmp_dir: Path) -> Iterator[Provider]:
    if not (TOOL / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("tools/oidc-provider is not installed: run ./dev setup (npm ci there)")
    port = free_port()
    config = tmp_dir / "oidc-provider.json"
    config.write_text(json.dumps({"port": port, "clients": CLIENTS, "accounts": accounts}))
    log = tmp_dir / "oidc-provider.log"
    output = log.open("w")  # a file, not a pipe: a pipe nobody reads could fill and stop it
    process = subprocess.Popen(
        ["node", str(TOOL / "server.js"), str(config)], stdout=output, stderr=subprocess.STDOUT
    )
    try:
        issuer = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1)
                break
            except requests.ConnectionError:
                if process.poll() is not None:
                    pytest.fail(f"the OpenID Connect provider did not start: {log.read_text()}")
                time.sleep(0.1)
        else:
            pytest.fail("the OpenID Connect provider did not answer within 20 seconds")
        yield Provider(issuer=issuer)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output.close()


def callback_path(location: str) -> str:
    """wijkwerk's callback as the test client asks for it (path and query)."""
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}"

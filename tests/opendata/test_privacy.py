"""No personal data and no private object in any answer of the open data API: every path of
its OpenAPI document is walked (each collection and one item of it), for a visitor who is not
logged in and for the municipality's administrator alike, and no answer may hold a name, an
e-mail address or a bank account of anyone in the world, nor the title of a draft, of an
initiative without consent to publication or of a round not yet published, nor a field whose
name says it is personal."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from wijkwerk.accounts.models import User

from ..cast import IBAN, PAYEE
from .conftest import World

pytestmark = pytest.mark.django_db

PRIVATE_FIELDS = {
    "applicant",
    "author",
    "email",
    "contact_email",
    "full_name",
    "address",
    "iban",
    "payee_iban",
    "payee_name",
    "payment_iban",
    "payment_bic",
    "description",
    "conditions",
    "decision_reason",
    "applicant_age",
    "broker",
    "approved_by",
    "co_applicants",
    "latitude",
    "longitude",
    "legal_entity",
    "hidden_reason",
    "voter_key",
    "receipt_hash",
}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def walk(client: Client) -> dict[str, Any]:
    """Every GET path of the OpenAPI document, with the first item's id of each collection."""
    schema = client.get("/api/v1/openapi.json").json()
    answers: dict[str, Any] = {"/api/v1": client.get("/api/v1").json()}
    first_ids: dict[str, int] = {}
    paths = sorted(schema["paths"], key=lambda p: p.count("{"))
    for path in paths:
        if "{id}" not in path:
            response = client.get(f"/api/v1{path}?page_size=100")
            assert response.status_code == 200, path
            answers[path] = response.json()
            items = answers[path]["results"]
            if items:
                first_ids[path] = items[0]["id"]
            continue
        collection = path.split("/{id}")[0]
        assert collection in first_ids, f"no item to walk {path} with"
        url = "/api/v1" + path.replace("{id}", str(first_ids[collection]))
        response = client.get(url)
        assert response.status_code == 200, url
        answers[url] = response.json()
    return answers


def keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = set(value)
        for inner in value.values():
            found |= keys(inner)
        return found
    if isinstance(value, list):
        return set().union(*(keys(inner) for inner in value)) if value else set()
    return set()


@pytest.mark.parametrize("visitor", ["anonymous", "admin", "applicant"])
def test_no_answer_holds_personal_data_or_private_objects(world: World, visitor: str) -> None:
    client = Client()
    if visitor != "anonymous":
        client.force_login(getattr(world.cast, visitor))
    answers = walk(client)
    assert len(answers) >= 12  # the index, 5 collections, 5 items and a round's plans
    text = json.dumps(answers, ensure_ascii=False)
    assert not EMAIL.findall(text)
    people = User.objects.exclude(full_name="").values_list("full_name", flat=True)
    assert len(people) > 5
    for name in people:
        assert name not in text, name
    for secret in (
        IBAN,
        PAYEE,
        "Kerkstraat 1",
        "Schoppen",
        "Nog niet ingediend",
        "Liever niet openbaar",
        "Concept Dorst 2028",
    ):
        assert secret not in text, secret
    assert not keys(answers) & PRIVATE_FIELDS
    # and the public objects are there
    assert "Geveltuinen in de Kerkstraat" in text
    assert "Bankjes op het Dorpsplein" in text

"""The right to challenge: everyone reads the register and a submitted challenge's public
parts; a draft is its submitter's alone; the area's broker (or coordinator) and the
municipality's administrator review and decide; only the administrator books money; the
submitter reports progress; letters and files are for the submitter and the area's officials."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from wijkwerk.challenges import services
from wijkwerk.challenges.models import ChallengeDecision

from ...challenges import factories
from ..framework import Case, World, everyone, logged_in


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("handtekeningen.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")


def draft(world: World) -> None:
    challenge = factories.draft(world.cast)
    services.attachment_add(
        actor=world.cast.applicant, challenge=challenge, upload=_pdf(), purpose="support"
    )
    world.extra["challenge"] = challenge
    world.extra["attachment"] = challenge.attachments.get()


def submitted(world: World) -> None:
    draft(world)
    services.challenge_submit(actor=world.cast.applicant, challenge=world.extra["challenge"])


def admitted(world: World) -> None:
    submitted(world)
    services.challenge_decide(
        actor=world.cast.broker,
        challenge=world.extra["challenge"],
        action="admit",
        reasons="Geworteld in het dorp.",
        entity_confirmed=True,
    )
    world.extra["decision"] = ChallengeDecision.objects.get(challenge=world.extra["challenge"])


def in_dialogue(world: World) -> None:
    admitted(world)
    services.challenge_step(
        actor=world.cast.broker, challenge=world.extra["challenge"], action="open_dialogue"
    )


def agreed(world: World) -> None:
    in_dialogue(world)
    services.agreement_record(
        actor=world.cast.broker,
        challenge=world.extra["challenge"],
        **factories.agreement_values(),
    )


def running(world: World) -> None:
    agreed(world)
    services.challenge_step(
        actor=world.cast.broker, challenge=world.extra["challenge"], action="start"
    )


def pk(world: World) -> dict[str, int]:
    return {"pk": world.extra["challenge"].pk}


# Only the submitter knows a draft exists.
OWN_DRAFT = logged_in(404, applicant=200)
# A step of the area's case handlers (the broker of Dorst, the administrator).
REVIEWERS = logged_in(403, broker_this=200, admin=200)
# The submitter and the officials of the area (and the administrator) read the private side.
PRIVATE = everyone(404, applicant=200, broker_this=200, alderman=200, admin=200)

CASES = [
    Case("challenges:register", everyone(200)),
    Case("challenges:register", everyone(200), setup=running, label="with a running challenge"),
    Case("challenges:create", logged_in(200)),
    Case(
        "challenges:create",
        logged_in(400),
        method="post",
        data=lambda w: {"title": "", "area": w.neighbourhood.pk},
        label="without a title",
    ),
    Case(
        "challenges:worklist",
        logged_in(403, broker_other=200, broker_this=200, admin=200),
        setup=submitted,
    ),
    Case("challenges:settings", logged_in(403, admin=200), also={"oss_admin": 200}),
    Case(
        "challenges:settings",
        logged_in(403, admin=400),
        method="post",
        data=lambda w: {"decision_term": "0", "term_unit": "weeks"},
        label="a term of 0",
    ),
    Case("challenges:detail", everyone(404, applicant=200), kwargs=pk, setup=draft, label="draft"),
    Case("challenges:detail", everyone(200), kwargs=pk, setup=submitted, label="submitted"),
    Case("challenges:detail", everyone(200), kwargs=pk, setup=running, label="running"),
    Case("challenges:edit", OWN_DRAFT, kwargs=pk, setup=draft, label="draft"),
    Case("challenges:edit", logged_in(403), kwargs=pk, setup=submitted, label="submitted"),
    Case("challenges:submit", OWN_DRAFT, kwargs=pk, setup=draft),
    Case(
        "challenges:submit",
        logged_in(403),
        kwargs=pk,
        setup=submitted,
        method="post",
        label="again",
    ),
    Case(
        "challenges:attachment",
        everyone(404, applicant=200),
        kwargs=lambda w: {"pk": w.extra["challenge"].pk, "attachment": w.extra["attachment"].pk},
        setup=draft,
        label="draft",
    ),
    Case(
        "challenges:attachment",
        PRIVATE,
        kwargs=lambda w: {"pk": w.extra["challenge"].pk, "attachment": w.extra["attachment"].pk},
        setup=submitted,
        label="submitted",
    ),
    Case("challenges:decide", REVIEWERS, kwargs=pk, setup=submitted),
    Case(
        "challenges:decide",
        logged_in(403, broker_this=400, admin=400),
        kwargs=pk,
        setup=submitted,
        method="post",
        data=lambda w: {"decision": "admit", "decided_on": "2026-01-01", "reasons": ""},
        label="without reasons",
    ),
    Case(
        "challenges:step",
        logged_in(403, broker_this=400, admin=400),
        kwargs=lambda w: {"pk": w.extra["challenge"].pk, "action": "start"},
        setup=admitted,
        method="post",
        label="start without an agreement",
    ),
    Case("challenges:end", REVIEWERS, kwargs=pk, setup=admitted),
    Case("challenges:agreement", REVIEWERS, kwargs=pk, setup=in_dialogue),
    Case("challenges:money", logged_in(403, admin=200), kwargs=pk, setup=agreed),
    Case("challenges:report", logged_in(403, applicant=200), kwargs=pk, setup=running),
    Case(
        "challenges:report",
        logged_in(403, applicant=400),
        kwargs=pk,
        setup=agreed,
        method="post",
        data=lambda w: {"text": "Gemaaid."},
        label="not running",
    ),
    Case(
        "challenges:letter",
        PRIVATE,
        kwargs=lambda w: {"pk": w.extra["challenge"].pk, "decision": w.extra["decision"].pk},
        setup=admitted,
    ),
]

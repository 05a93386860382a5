"""Neighbourhood budget rounds (budgeting/policy.py): a published round, its plans, its result
and the receipt check are for everyone; a draft round is the municipality's administrator's
working copy (nobody else may know it exists); the administrator sets up, publishes, closes and
recounts; the broker of the round's area (and the administrator) moderates plans and records
feasibility; an author changes their own plan; anyone logged in but the author likes it; the
ballot takes a logged-in resident of the area (anyone else is shown how to vote: 200 on a GET,
403 on a POST).

Each case's round is in the phase its page is for (tests/budgeting/factories.py `make_round`):
ideas for proposing and changing plans, likes for liking, feasibility for the check, voting for
the ballot and the close, and a counted round for the result pages. Besides the matrix's visitors
these cases try the outsider (a resident of Slotjes), Oss's administrator and a superuser.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.base import ContentFile
from PIL import Image

from wijkwerk.budgeting.states import FeasibilityVerdict, PlanStatus

from ...budgeting.factories import PlanFactory, counted_round, make_round
from ..framework import Case, World, everyone, logged_in

# --- the rounds the cases play in ---------------------------------------------------------


def _round(world: World, phase: str | None, *, publish: bool = True, **fields: Any) -> None:
    process = make_round(world.cast, phase=phase, publish=publish, **fields)
    plan = PlanFactory(
        process=process,
        author=world.users["applicant"],
        title="Bankjes op het Dorpsplein",
        feasibility=FeasibilityVerdict.FEASIBLE
        if phase in ("voting", "result", "execution")
        else FeasibilityVerdict.PENDING,
    )
    other = PlanFactory(
        process=process,
        author=world.users["resident"],
        title="Banken bij het Dorpsplein",
        feasibility=plan.feasibility,
    )
    world.extra.update(process=process, plan=plan, other_plan=other)


def draft_round(world: World) -> None:
    """A round not yet published, in its ideas phase by its dates, with a plan."""
    _round(world, "ideas", publish=False)


def ideas_round(world: World) -> None:
    _round(world, "ideas")


def likes_round(world: World) -> None:
    _round(world, "likes")


def feasibility_round(world: World) -> None:
    _round(world, "feasibility")


def voting_round(world: World) -> None:
    _round(world, "voting")


def hidden_plan(world: World) -> None:
    """A round in its ideas phase whose applicant's plan a moderator hid, with the reason."""
    _round(world, "ideas")
    plan = world.extra["plan"]
    plan.status = PlanStatus.HIDDEN
    plan.hidden_reason = "Dit plan noemt een buurtbewoner bij naam."
    plan.save(update_fields=["status", "hidden_reason"])


def _picture(world: World) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 9), "green").save(buffer, format="JPEG")
    world.extra["plan"].picture.save("plan.jpg", ContentFile(buffer.getvalue()))


def with_picture(world: World) -> None:
    _round(world, "ideas")
    _picture(world)


def hidden_with_picture(world: World) -> None:
    hidden_plan(world)
    _picture(world)


def merged_plan(world: World) -> None:
    """A round in its likes phase whose applicant's plan a moderator merged into the other."""
    _round(world, "likes")
    plan = world.extra["plan"]
    plan.status = PlanStatus.MERGED
    plan.merged_into = world.extra["other_plan"]
    plan.hidden_reason = "Twee keer hetzelfde plan."
    plan.save(update_fields=["status", "merged_into", "hidden_reason"])


def counted(world: World) -> None:
    """A round whose voting was closed and counted: the applicant and the neighbour voted."""
    _round(world, "voting")
    world.extra["process"] = counted_round(
        world.extra["process"],
        [
            (world.users["applicant"], [world.extra["plan"]]),
            (world.users["resident"], [world.extra["plan"], world.extra["other_plan"]]),
        ],
        actor=world.users["admin"],
    )


def rnd(world: World) -> dict[str, int]:
    return {"pk": world.extra["process"].pk}


def plan(world: World) -> dict[str, int]:
    return {"pk": world.extra["plan"].pk}


def municipality(world: World) -> dict[str, str]:
    return {"municipality": world.municipality.slug}


def area_pb(world: World) -> dict[str, int]:
    return {"pk": world.extra["process"].pk, "area": world.area.pk}


# --- who gets what --------------------------------------------------------------------------

# Public: everyone, also the outsider, another municipality's administrator, a superuser.
PUBLIC = everyone(200)
PUBLIC_ALSO = {"outsider": 200, "oss_admin": 200, "superuser": 200}
# A draft round: only Oosterhout's administrator (and a superuser) may know it exists.
DRAFT_ONLY_ADMIN = everyone(404, admin=200)
DRAFT_ALSO = {"outsider": 404, "oss_admin": 404, "superuser": 200}
# Setting up rounds: the municipality's administrator; another municipality's administrator
# gets the back office's 404, a published round's page 403.
ADMIN = logged_in(403, admin=200)
ADMIN_ALSO = {"outsider": 403, "oss_admin": 404, "superuser": 200}
ROUND_ADMIN_ALSO = {"outsider": 403, "oss_admin": 403, "superuser": 200}
# Moderation and feasibility: the broker of Dorst and the administrator.
HANDLERS = logged_in(403, broker_this=200, admin=200)
HANDLERS_ALSO = {"outsider": 403, "oss_admin": 403, "superuser": 200}
# The ballot: residents of Dorst (the round's area) of age; others are told why not (403).
ELIGIBLE = logged_in(403, anonymous=403, resident=200, applicant=200, council_member=200)

# Likes decide what goes on the residents' ballot: anyone with a role is refused.
OFFICIALS_MAY_NOT_LIKE = {
    "broker_this": 403,
    "broker_other": 403,
    "alderman": 403,
    "clerk": 403,
    "admin": 403,
}

CASES = [
    # rounds
    Case("budgeting:round_list", PUBLIC, setup=voting_round, also=PUBLIC_ALSO),
    Case(
        "budgeting:round_detail",
        PUBLIC,
        kwargs=rnd,
        setup=voting_round,
        label="voting",
        also=PUBLIC_ALSO,
    ),
    *(
        Case(
            "budgeting:round_detail",
            PUBLIC,
            kwargs=rnd,
            setup=setup,
            label=phase,
        )
        for phase, setup in (
            ("ideas", ideas_round),
            ("likes", likes_round),
            ("feasibility", feasibility_round),
        )
    ),
    Case(
        "budgeting:round_detail",
        DRAFT_ONLY_ADMIN,
        kwargs=rnd,
        setup=draft_round,
        label="draft",
        also=DRAFT_ALSO,
    ),
    Case(
        "budgeting:round_detail",
        PUBLIC,
        kwargs=rnd,
        setup=counted,
        label="counted",
        also=PUBLIC_ALSO,
    ),
    Case("budgeting:manage_list", ADMIN, kwargs=municipality, setup=draft_round, also=ADMIN_ALSO),
    Case("budgeting:manage_create", ADMIN, kwargs=municipality, also=ADMIN_ALSO),
    Case(
        "budgeting:manage_create",
        logged_in(403, admin=400),
        kwargs=municipality,
        method="post",
        data=lambda w: {"title": ""},
        label="invalid post",
        also={**ADMIN_ALSO, "superuser": 400},
    ),
    Case(
        "budgeting:manage_edit",
        everyone(404, anonymous=302, admin=200),
        kwargs=rnd,
        setup=draft_round,
        label="draft",
        also=DRAFT_ALSO,
    ),
    Case(
        "budgeting:manage_edit",
        ADMIN,
        kwargs=rnd,
        setup=ideas_round,
        label="published, before the voting",
        also=ROUND_ADMIN_ALSO,
    ),
    Case(
        "budgeting:manage_edit",
        everyone(404, anonymous=302, admin=400),
        kwargs=rnd,
        method="post",
        data=lambda w: {"title": "", "budget_cents": "-5"},
        setup=draft_round,
        label="invalid post",
        also={"outsider": 404, "oss_admin": 404, "superuser": 400},
    ),
    Case(
        "budgeting:manage_publish",
        everyone(404, anonymous=302, admin=302),
        kwargs=rnd,
        method="post",
        setup=draft_round,
        also={"outsider": 404, "oss_admin": 404},
    ),
    Case(
        "budgeting:manage_publish",
        everyone(404, anonymous=302, admin=200),
        kwargs=rnd,
        setup=draft_round,
        label="the confirmation",
        also=DRAFT_ALSO,
    ),
    Case(
        "budgeting:manage_close",
        logged_in(403, admin=302),
        kwargs=rnd,
        method="post",
        setup=voting_round,
        also={"outsider": 403, "oss_admin": 403},
    ),
    Case(
        "budgeting:manage_close",
        ADMIN,
        kwargs=rnd,
        setup=voting_round,
        label="the confirmation",
        also=ROUND_ADMIN_ALSO,
    ),
    # plans
    Case(
        "budgeting:plan_list",
        PUBLIC,
        kwargs=rnd,
        setup=ideas_round,
        label="ideas",
        also=PUBLIC_ALSO,
    ),
    Case("budgeting:plan_list", PUBLIC, kwargs=rnd, setup=voting_round, label="voting"),
    Case("budgeting:plan_list", PUBLIC, kwargs=rnd, setup=counted, label="counted"),
    Case(
        "budgeting:plan_list",
        DRAFT_ONLY_ADMIN,
        kwargs=rnd,
        setup=draft_round,
        label="draft",
        also=DRAFT_ALSO,
    ),
    Case(
        "budgeting:plan_create",
        logged_in(200),
        kwargs=rnd,
        setup=ideas_round,
        label="ideas",
        also={"outsider": 200, "oss_admin": 200, "superuser": 200},
    ),
    Case(
        "budgeting:plan_create",
        logged_in(400),
        kwargs=rnd,
        method="post",
        data=lambda w: {"title": "", "summary": "", "estimated_cost": "veel"},
        setup=ideas_round,
        label="invalid post",
    ),
    Case(
        "budgeting:plan_create",
        everyone(404, anonymous=302, admin=403),
        kwargs=rnd,
        setup=draft_round,
        label="draft",
        also={"outsider": 404, "oss_admin": 404},
    ),
    Case(
        "budgeting:manage_plans",
        HANDLERS,
        kwargs=rnd,
        setup=feasibility_round,
        also=HANDLERS_ALSO,
    ),
    Case(
        "budgeting:plan_detail",
        PUBLIC,
        kwargs=plan,
        setup=ideas_round,
        label="ideas",
        also=PUBLIC_ALSO,
    ),
    Case(
        "budgeting:plan_detail",
        PUBLIC,
        kwargs=plan,
        setup=hidden_plan,
        label="hidden: the page says why",
        also=PUBLIC_ALSO,
    ),
    Case(
        "budgeting:plan_detail",
        PUBLIC,
        kwargs=plan,
        setup=merged_plan,
        label="merged: the page says where to",
    ),
    Case("budgeting:plan_detail", PUBLIC, kwargs=plan, setup=counted, label="counted"),
    Case(
        "budgeting:manage_plans",
        everyone(404, anonymous=302, admin=200),
        kwargs=rnd,
        setup=draft_round,
        label="draft",
        also={"outsider": 404, "oss_admin": 404, "superuser": 200},
    ),
    Case(
        "budgeting:manage_plans",
        HANDLERS,
        kwargs=rnd,
        setup=voting_round,
        label="voting: the check is over",
    ),
    Case(
        "budgeting:plan_detail",
        everyone(404, broker_this=200, admin=200),
        kwargs=plan,
        setup=draft_round,
        label="in a draft round",
        also=DRAFT_ALSO,
    ),
    Case(
        "budgeting:plan_picture",
        PUBLIC,
        kwargs=plan,
        setup=with_picture,
        label="of a published plan",
        also=PUBLIC_ALSO,
    ),
    Case(
        "budgeting:plan_picture",
        everyone(404, applicant=200, broker_this=200, admin=200),
        kwargs=plan,
        setup=hidden_with_picture,
        label="of a hidden plan: its author and moderators",
        also={"outsider": 404, "oss_admin": 404, "superuser": 200},
    ),
    Case(
        "budgeting:plan_edit",
        logged_in(403, applicant=200),
        kwargs=plan,
        setup=ideas_round,
        label="ideas",
        also={"outsider": 403, "oss_admin": 403, "superuser": 200},
    ),
    Case(
        "budgeting:plan_edit",
        logged_in(403, applicant=400),
        kwargs=plan,
        method="post",
        data=lambda w: {"title": "", "summary": "", "estimated_cost": "-1"},
        setup=ideas_round,
        label="invalid post",
    ),
    Case(
        "budgeting:plan_edit",
        logged_in(403),
        kwargs=plan,
        setup=hidden_plan,
        label="hidden: not even its author",
        also={"outsider": 403, "oss_admin": 403},
    ),
    Case(
        "budgeting:plan_like",
        logged_in(302, applicant=403, **OFFICIALS_MAY_NOT_LIKE),
        kwargs=plan,
        method="post",
        setup=likes_round,
        label="likes (residents: officials do not)",
        also={"outsider": 302, "oss_admin": 403},
    ),
    Case(
        "budgeting:plan_like",
        logged_in(405, applicant=403, **OFFICIALS_MAY_NOT_LIKE),
        kwargs=plan,
        setup=likes_round,
        label="GET is not allowed",
    ),
    Case(
        "budgeting:plan_merge",
        HANDLERS,
        kwargs=plan,
        setup=ideas_round,
        also=HANDLERS_ALSO,
    ),
    Case(
        "budgeting:plan_merge",
        logged_in(403, broker_this=302, admin=400),
        kwargs=plan,
        method="post",
        data=lambda w: {"into": w.extra["other_plan"].pk},
        setup=ideas_round,
        label="into the other plan (the admin comes after the broker: already merged)",
        also={"outsider": 403, "oss_admin": 403},
    ),
    Case(
        "budgeting:plan_merge",
        logged_in(403, broker_this=400, admin=400),
        kwargs=plan,
        method="post",
        data=lambda w: {"into": "", "reason": ""},
        setup=ideas_round,
        label="invalid post: no plan to merge into",
    ),
    Case(
        "budgeting:plan_hide",
        HANDLERS,
        kwargs=plan,
        setup=ideas_round,
        also=HANDLERS_ALSO,
    ),
    Case(
        "budgeting:plan_hide",
        logged_in(403, broker_this=302, admin=400),
        kwargs=plan,
        method="post",
        data=lambda w: {"reason": "Dit plan noemt een buurtbewoner bij naam."},
        setup=ideas_round,
        label="with a reason (the admin comes after the broker: already hidden)",
        also={"outsider": 403, "oss_admin": 403},
    ),
    Case(
        "budgeting:plan_hide",
        logged_in(403, broker_this=400, admin=400),
        kwargs=plan,
        method="post",
        data=lambda w: {"reason": ""},
        setup=ideas_round,
        label="invalid post: no reason",
    ),
    Case(
        "budgeting:plan_show",
        logged_in(403, broker_this=302, admin=400),
        kwargs=plan,
        method="post",
        setup=hidden_plan,
        label="(the admin comes after the broker: already shown)",
        also={"outsider": 403, "oss_admin": 403},
    ),
    Case(
        "budgeting:plan_show",
        logged_in(403, broker_this=405, admin=405),
        kwargs=plan,
        setup=hidden_plan,
        label="GET is not allowed",
    ),
    Case(
        "budgeting:plan_feasibility",
        HANDLERS,
        kwargs=plan,
        setup=feasibility_round,
        also=HANDLERS_ALSO,
    ),
    Case(
        "budgeting:plan_feasibility",
        logged_in(403, broker_this=302, admin=302),
        kwargs=plan,
        method="post",
        data=lambda w: {
            "feasibility": FeasibilityVerdict.FEASIBLE,
            "municipal_cost": "12.500,00",
            "feasibility_reason": "Kan op het plein; de gemeente plaatst de bankjes.",
        },
        setup=feasibility_round,
        label="feasible",
        also={"outsider": 403, "oss_admin": 403},
    ),
    Case(
        "budgeting:plan_feasibility",
        logged_in(403, broker_this=400, admin=400),
        kwargs=plan,
        method="post",
        data=lambda w: {"feasibility": FeasibilityVerdict.FEASIBLE, "municipal_cost": ""},
        setup=feasibility_round,
        label="invalid post: feasible without the municipality's cost",
    ),
    # voting
    Case(
        "budgeting:ballot",
        {**ELIGIBLE, "anonymous": 200},
        kwargs=rnd,
        setup=voting_round,
        label="voting",
        also={"outsider": 403, "oss_admin": 403, "superuser": 403},
    ),
    Case(
        "budgeting:ballot",
        ELIGIBLE,
        kwargs=rnd,
        method="post",
        data=lambda w: {"plan": [w.extra["plan"].pk], "next": "1"},
        setup=voting_round,
        label="next: the confirmation",
        also={"outsider": 403},
    ),
    Case(
        "budgeting:ballot",
        {**ELIGIBLE, "resident": 400, "applicant": 400, "council_member": 400},
        kwargs=rnd,
        method="post",
        data=lambda w: {"next": "1"},
        setup=voting_round,
        label="next with no plan chosen",
    ),
    Case(
        "budgeting:ballot",
        everyone(404, admin=403),
        kwargs=rnd,
        setup=draft_round,
        label="draft (its administrator is told the voting is not open)",
        also={"outsider": 404, "oss_admin": 404},
    ),
    Case(
        "budgeting:ballot_confirm",
        ELIGIBLE,
        kwargs=rnd,
        method="post",
        data=lambda w: {"plan": [w.extra["plan"].pk]},
        setup=voting_round,
        label="cast: the receipt",
        also={"outsider": 403},
    ),
    Case(
        "budgeting:ballot_confirm",
        everyone(405),
        kwargs=rnd,
        setup=voting_round,
        label="GET is not allowed",
    ),
    Case("budgeting:receipt_check", PUBLIC, setup=counted, also=PUBLIC_ALSO),
    Case(
        "budgeting:receipt_check",
        PUBLIC,
        method="post",
        data=lambda w: {"code": "ABCD-EFGH-JKLM-NPQR"},
        label="an unknown code (nine checks: under the limit of ten a minute)",
    ),
    Case(
        "budgeting:receipt_check",
        everyone(400),
        method="post",
        data=lambda w: {"code": ""},
        label="no code",
    ),
    # the count
    Case(
        "budgeting:result",
        PUBLIC,
        kwargs=rnd,
        setup=counted,
        label="counted",
        also=PUBLIC_ALSO,
    ),
    Case(
        "budgeting:result",
        DRAFT_ONLY_ADMIN,
        kwargs=rnd,
        setup=draft_round,
        label="draft",
        also=DRAFT_ALSO,
    ),
    Case("budgeting:result_json", PUBLIC, kwargs=rnd, setup=counted, also=PUBLIC_ALSO),
    Case("budgeting:result_pb", PUBLIC, kwargs=area_pb, setup=counted, also=PUBLIC_ALSO),
    Case(
        "budgeting:manage_recount",
        logged_in(403, admin=302),
        kwargs=rnd,
        method="post",
        setup=counted,
        also={"outsider": 403, "oss_admin": 403, "superuser": 302},
    ),
    Case(
        "budgeting:manage_recount",
        logged_in(405),
        kwargs=rnd,
        setup=counted,
        label="GET is not allowed",
    ),
    # the register extract (the round's administrator)
    Case(
        "budgeting:manage_register",
        ADMIN,
        kwargs=rnd,
        setup=ideas_round,
        label="published",
        also=ROUND_ADMIN_ALSO,
    ),
    Case(
        "budgeting:manage_register",
        everyone(404, anonymous=302, admin=200),
        kwargs=rnd,
        setup=draft_round,
        label="draft",
        also=DRAFT_ALSO,
    ),
    Case(
        "budgeting:manage_register",
        logged_in(403, admin=400),
        kwargs=rnd,
        method="post",
        data=lambda w: {"file": register_file("kenmerk;postcode\nR1;1234\n")},
        setup=ideas_round,
        label="a file with problems",
        also={"outsider": 403, "oss_admin": 403, "superuser": 400},
    ),
    Case(
        "budgeting:manage_register",
        logged_in(403, admin=302),
        kwargs=rnd,
        method="post",
        data=lambda w: {"file": register_file(GOOD_REGISTER)},
        setup=ideas_round,
        label="a good file",
        also={"outsider": 403, "oss_admin": 403, "superuser": 302},
    ),
]

GOOD_REGISTER = (
    "kenmerk;postcode;huisnummer;geboortedatum;gebiedscode;geheim\n"
    "R1;4941 AB;12;1980-05-17;BU08261307;nee\n"
)


def register_file(text: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("register.csv", text.encode(), content_type="text/csv")


# --- paper ballots (the round's administrator and the brokers of its areas) ------------------


def paper_round(world: World) -> None:
    """A round in its voting phase whose paper ballot 5 was entered differently by two
    officials (the area coordinator and the broker of Dorst): it waits for a third."""
    from wijkwerk.budgeting.models import VotingCode
    from wijkwerk.budgeting.services import paper
    from wijkwerk.budgeting.services.codes import code_hash, new_code

    _round(world, "voting")
    process = world.extra["process"]
    typed = new_code()
    VotingCode.objects.create(
        process=process, process_area=process.process_areas.get(), code_hash=code_hash(typed)
    )
    paper.paper_intake(actor=world.cast.broker, process=process, typed_code=typed)
    for official, plan in ((world.cast.coordinator, "plan"), (world.cast.broker, "other_plan")):
        paper.paper_enter(
            actor=official,
            process=process,
            number=5,
            process_area=process.process_areas.get(),
            choices={world.extra[plan].pk: 1},
        )


def disputed(world: World) -> dict[str, int]:
    return {"pk": world.extra["process"].pk, "number": 5}


CASES += [
    Case("budgeting:paper_list", HANDLERS, kwargs=rnd, setup=paper_round, also=HANDLERS_ALSO),
    Case(
        "budgeting:paper_list",
        everyone(404, anonymous=302, admin=200),
        kwargs=rnd,
        setup=draft_round,
        label="draft",
        also=DRAFT_ALSO,
    ),
    Case("budgeting:paper_intake", HANDLERS, kwargs=rnd, setup=voting_round, also=HANDLERS_ALSO),
    Case(
        "budgeting:paper_intake",
        logged_in(403, broker_this=400, admin=400),
        kwargs=rnd,
        method="post",
        data=lambda w: {"code": "2222-2222-2222-2222"},
        setup=voting_round,
        label="a mistyped code",
        also={"outsider": 403, "oss_admin": 403, "superuser": 400},
    ),
    Case("budgeting:paper_enter", HANDLERS, kwargs=rnd, setup=voting_round, also=HANDLERS_ALSO),
    Case(
        "budgeting:paper_enter",
        logged_in(403, broker_this=403, admin=403),
        kwargs=rnd,
        setup=counted,
        label="counted: no entries any more",
        also={"outsider": 403, "oss_admin": 403, "superuser": 403},
    ),
    Case(
        "budgeting:paper_resolve",
        HANDLERS,
        kwargs=disputed,
        setup=paper_round,
        also=HANDLERS_ALSO,
    ),
]


# --- DigiD and eHerkenning (views/digid.py) ---------------------------------------------------


def digid_round(world: World) -> None:
    _round(world, "voting", vote_with_account=False, vote_with_digid=True)


CASES += [
    # anyone may start a DigiD login; the tests' settings name no broker, so it is refused
    Case(
        "budgeting:digid_start",
        everyone(404),
        kwargs=rnd,
        setup=digid_round,
        label="no broker set up",
        also={"outsider": 404, "oss_admin": 404, "superuser": 404},
    ),
    Case(
        "budgeting:digid_start",
        everyone(404, admin=403),
        kwargs=rnd,
        setup=draft_round,
        label="draft (its administrator is told the voting is not open)",
        also={"outsider": 404, "oss_admin": 404},
    ),
    # a round without account votes: everyone not known at the box is shown the ways in
    Case(
        "budgeting:ballot",
        everyone(200),
        kwargs=rnd,
        setup=digid_round,
        label="a round that takes DigiD",
        also={"outsider": 200, "oss_admin": 200, "superuser": 200},
    ),
    # a way back without a login begun in this browser
    Case(
        "budgeting:digid_return",
        everyone(400),
        setup=digid_round,
        also={"outsider": 400, "oss_admin": 400, "superuser": 400},
    ),
]


# --- voting codes: the voter's code page, the letters, the desk (views/codes.py) -------------


def code_round(world: World) -> None:
    _round(world, "voting", vote_with_code=True)


def code_draft(world: World) -> None:
    _round(world, "ideas", publish=False, vote_with_code=True)


CASES += [
    # anyone may type a code (no account); the QR code's address fills it in
    Case("budgeting:code_entry", PUBLIC, kwargs=rnd, setup=code_round, also=PUBLIC_ALSO),
    Case(
        "budgeting:code_entry",
        everyone(400),
        kwargs=rnd,
        method="post",
        data=lambda w: {"code": "2222-2222-2222-2222"},
        setup=code_round,
        label="a mistyped code",
        also={"outsider": 400, "oss_admin": 400, "superuser": 400},
    ),
    Case(
        "budgeting:code_entry",
        everyone(404),
        kwargs=rnd,
        setup=voting_round,
        label="a round without codes",
        also={"outsider": 404, "oss_admin": 404, "superuser": 404},
    ),
    Case(
        "budgeting:code_entry",
        everyone(404, admin=403),
        kwargs=rnd,
        setup=code_draft,
        label="draft (its administrator is told the voting is not open)",
        also={"outsider": 404, "oss_admin": 404, "superuser": 403},
    ),
    # the letters: the round's administrator
    Case("budgeting:manage_codes", ADMIN, kwargs=rnd, setup=code_round, also=ROUND_ADMIN_ALSO),
    Case(
        "budgeting:manage_codes",
        logged_in(403, admin=302),
        kwargs=rnd,
        method="post",
        setup=code_round,
        label="no letters to make",
        also={"outsider": 403, "oss_admin": 403, "superuser": 302},
    ),
    Case(
        "budgeting:manage_codes",
        everyone(404, anonymous=302, admin=200),
        kwargs=rnd,
        setup=code_draft,
        label="draft",
        also=DRAFT_ALSO,
    ),
    # the desk: the round's administrator and the brokers of its areas
    Case("budgeting:desk", HANDLERS, kwargs=rnd, setup=code_round, also=HANDLERS_ALSO),
    Case(
        "budgeting:desk",
        logged_in(403, broker_this=400, admin=400),
        kwargs=rnd,
        method="post",
        data=lambda w: {"entry": "1"},
        setup=code_round,
        label="no ID seen",
        also={"outsider": 403, "oss_admin": 403, "superuser": 400},
    ),
    Case(
        "budgeting:desk",
        logged_in(403, broker_this=404, admin=404),
        kwargs=rnd,
        setup=voting_round,
        label="a round without codes",
        also={"outsider": 403, "oss_admin": 403, "superuser": 404},
    ),
    Case(
        "budgeting:desk",
        everyone(404, anonymous=302, admin=200),
        kwargs=rnd,
        setup=code_draft,
        label="draft",
        also=DRAFT_ALSO,
    ),
]

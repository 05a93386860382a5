"""Plans, likes, moderation and the municipality's feasibility check in a budget round.

Every write is one transaction with the permission check and an audit event; a refusal is a
`BudgetRefused` with a stable code (refusals.py).

When what may happen (the round's running phase, `models.KINDS`):

- submitting and changing a plan: while the running phase allows `Capability.PROPOSE` (ideas);
- liking and withdrawing a like: while it allows `Capability.SUPPORT` (ideas, likes);
- moderating (merging, hiding, showing) and recording feasibility: from the moment the round is
  published until its voting begins. The feasibility phase (`Capability.REVIEW`) is when the
  check must be finished; the municipality may start on plans as they come in (in the ideas and
  likes phases), as Amsterdam's rounds do, so that residents see early whether their plan can
  be carried out. Once voting begins the ballot is fixed: no verdict, merge or hide changes it.

The platform itself (a `SystemActor`: the pabulib import, the demo) is not bound to the phases:
it writes rounds that are already further along, through the same checks otherwise.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from wijkwerk.accounts.roles import role_index
from wijkwerk.core import audit, ratelimit
from wijkwerk.core.phases import Capability
from wijkwerk.initiatives.models import Initiative
from wijkwerk.initiatives.states import AWAITING_DECISION, EDITABLE
from wijkwerk.initiatives.uploads import check_upload

from .. import notifications
from ..audit_actions import BudgetAction
from ..models import BudgetProcess, Like, Plan
from ..refusals import BudgetRefused
from ..states import VISIBLE_PLAN, FeasibilityVerdict, PlanStatus, ProcessStatus

# What a resident writes about a plan; the audit trail keeps their before and after.
PLAN_FIELDS = (
    "title",
    "summary",
    "description",
    "area",
    "address",
    "latitude",
    "longitude",
    "category",
    "estimated_cost_cents",
    "initiative",
)
FEASIBILITY_FIELDS = ("feasibility", "municipal_cost_cents", "feasibility_reason")
# A plan above EUR 10 million is a typing error in a neighbourhood budget.
MAX_PLAN_CENTS = 1_000_000_000
# Pictures are stored as JPEG of at most this many pixels a side, without their metadata
# (a phone's photo carries where and when it was taken).
PICTURE_SIDE = 1600
# The initiatives that may be entered as a plan: not yet decided on (no money granted).
ENTERABLE_INITIATIVE = EDITABLE | AWAITING_DECISION


def _is_system(actor: Any) -> bool:
    return bool(getattr(actor, "is_system", False))


def _person(actor: Any) -> Any:
    return None if _is_system(actor) else actor


def _phase_allows(process: BudgetProcess, capability: Capability, actor: Any) -> bool:
    return _is_system(actor) or process.allows(capability)


def _require_phase(process: BudgetProcess, capability: Capability, actor: Any) -> None:
    if _phase_allows(process, capability, actor):
        return
    messages = {
        Capability.PROPOSE: _("Plans can only be submitted or changed in the round's ideas phase."),
        Capability.SUPPORT: _("Plans can only be liked while the round collects likes."),
    }
    raise BudgetRefused(messages[capability], "wrong_phase")


def voting_has_begun(process: BudgetProcess, now: Any = None) -> bool:
    """Whether the round's voting began (or the round was closed): the ballot is fixed."""
    if process.status not in (ProcessStatus.DRAFT, ProcessStatus.PUBLISHED):
        return True
    moment = now or timezone.now()
    return any(
        phase.kind == "voting" and phase.starts_at <= moment for phase in process.phases.all()
    )


def moderation_open(process: BudgetProcess, now: Any = None) -> bool:
    """Whether plans may be moderated and checked now: published, voting not yet begun."""
    return process.status == ProcessStatus.PUBLISHED and not voting_has_begun(process, now)


def _require_moderation(process: BudgetProcess, actor: Any) -> None:
    if _is_system(actor) or moderation_open(process):
        return
    if process.status == ProcessStatus.DRAFT:
        raise BudgetRefused(_("The round has not been published yet."), "wrong_phase")
    raise BudgetRefused(
        _("Voting has begun: the plans on the ballot can no longer be changed."), "wrong_phase"
    )


def _lock_process(process: BudgetProcess) -> BudgetProcess:
    return BudgetProcess.objects.select_for_update(of=("self",)).get(pk=process.pk)


def _lock_plans(*plans: Plan) -> list[Plan]:
    """The plans again under row locks, taken in the order of their ids (no deadlock)."""
    ids = sorted({plan.pk for plan in plans})
    locked = {
        plan.pk: plan
        for plan in Plan.objects.select_for_update(of=("self",))
        .select_related("process", "area")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    return [locked[plan.pk] for plan in plans]


def _round_area_ids(process: BudgetProcess) -> set[int]:
    return set(process.process_areas.values_list("area_id", flat=True))


def enterable_initiatives(author: Any, process: BudgetProcess) -> Any:
    """The author's initiatives that may be entered in the round: in (or inside) one of its
    areas, not yet decided on."""
    if author is None or not getattr(author, "is_authenticated", False):
        return Initiative.objects.none()
    areas = _round_area_ids(process)
    return (
        Initiative.objects.filter(
            applicant=author, status__in=ENTERABLE_INITIATIVE, granted_cents__isnull=True
        )
        .filter(
            Q(area_id__in=areas)
            | Q(area__parent_id__in=areas)
            | Q(area__parent__parent_id__in=areas)
        )
        .select_related("area__parent__parent", "category")
        .order_by("title", "pk")
    )


def initiative_values(initiative: Initiative) -> dict[str, Any]:
    """What a plan takes over from an initiative entered in the round."""
    return {
        "title": initiative.title,
        "summary": initiative.summary,
        "description": initiative.description,
        "address": initiative.address,
        "latitude": initiative.latitude,
        "longitude": initiative.longitude,
        "category": initiative.category,
        "estimated_cost_cents": initiative.requested_cents or None,
    }


def round_area_of(process: BudgetProcess, initiative: Initiative) -> Any:
    """The round's area the initiative lies in (itself or an area around it), or None."""
    areas = _round_area_ids(process)
    lineage = initiative.area.lineage_ids
    for area_id in lineage:
        if area_id in areas:
            return process.process_areas.select_related("area").get(area_id=area_id).area
    return None


@dataclass(frozen=True)
class Picture:
    """A checked picture, ready to store: JPEG bytes without metadata."""

    content: bytes


def check_picture(upload: UploadedFile) -> Picture:
    """Check an uploaded picture as any upload (type by content, size, a real image), then
    store it as a JPEG of at most PICTURE_SIDE pixels a side, without its metadata."""
    try:
        checked = check_upload(upload)
    except ValidationError as error:
        if error.code == "wrong_type":  # its message offers PDF files too
            raise BudgetRefused(
                _("A picture must be an image (PNG, JPEG or WebP)."), "bad_picture"
            ) from error
        raise BudgetRefused(error.messages[0], "bad_picture") from error
    if not checked.is_image:
        raise BudgetRefused(_("A picture must be an image (PNG, JPEG or WebP)."), "bad_picture")
    try:
        upload.seek(0)
        with Image.open(upload) as opened:
            image: Image.Image = ImageOps.exif_transpose(opened)
            image.thumbnail((PICTURE_SIDE, PICTURE_SIDE))
            if image.mode != "RGB":
                background = Image.new("RGB", image.size, "white")
                rgba = image.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                image = background
            out = io.BytesIO()
            image.save(out, "JPEG", quality=85, optimize=True)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise BudgetRefused(
            _("The image is damaged or not a real image."), "bad_picture"
        ) from error
    finally:
        upload.seek(0)
    return Picture(out.getvalue())


def _store_picture(plan: Plan, picture: Picture) -> None:
    plan.picture.save("picture.jpg", ContentFile(picture.content), save=False)


def _drop_stored_picture(plan: Plan, name: str) -> None:
    """After a failed write: remove the picture file it stored (`name`), if any."""
    if name and plan.picture.name == name:
        plan.picture.storage.delete(name)


def _delete_file_on_commit(name: str, storage: Any) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _next_project_id(process: BudgetProcess) -> str:
    taken = set(Plan.objects.filter(process=process).values_list("project_id", flat=True))
    numbers = [int(value) for value in taken if value.isdigit()]
    candidate = max(numbers, default=0) + 1
    while str(candidate) in taken:
        candidate += 1
    return str(candidate)


def _clean_values(
    process: BudgetProcess,
    values: Mapping[str, Any],
    *,
    author: Any,
    linked_initiative_id: int | None = None,
) -> dict[str, Any]:
    """The plan's values checked: text, area, cost, place and the initiative entered."""
    data: dict[str, Any] = {name: values.get(name) for name in PLAN_FIELDS if name in values}
    for name in ("title", "summary", "description", "address"):
        data[name] = (data.get(name) or "").strip()
    initiative = data.get("initiative")
    if initiative is not None and initiative.pk != linked_initiative_id:
        if author is None or initiative.applicant_id != author.pk:
            raise BudgetRefused(
                _("You can only enter an initiative of your own."), "foreign_initiative"
            )
        if initiative.status not in ENTERABLE_INITIATIVE or initiative.granted_cents is not None:
            raise BudgetRefused(
                _("An initiative that was decided on cannot be entered as a plan."),
                "foreign_initiative",
            )
        # what the resident left empty comes from the initiative
        for name, value in initiative_values(initiative).items():
            if data.get(name) in (None, "") and value not in (None, ""):
                data[name] = value
    area = data.get("area")
    if area is None or area.pk not in _round_area_ids(process):
        raise BudgetRefused(
            _("Choose one of the round's areas: %(areas)s.")
            % {"areas": ", ".join(str(item.area) for item in process.process_areas.all())},
            "not_in_round",
        )
    if initiative is not None and area.pk not in initiative.area.lineage_ids:
        raise BudgetRefused(
            _("The initiative “%(title)s” lies in %(where)s, not in %(area)s.")
            % {"title": initiative.title, "where": initiative.area.name, "area": area.name},
            "foreign_initiative",
        )
    if not data["title"] or not data["summary"]:
        raise BudgetRefused(_("A plan needs a title and a short summary."), "incomplete")
    if len(data["title"]) > 150 or len(data["summary"]) > 300 or len(data["address"]) > 200:
        raise BudgetRefused(_("The title, summary or address is too long."), "incomplete")
    cost = data.get("estimated_cost_cents")
    if not isinstance(cost, int) or isinstance(cost, bool) or cost <= 0:
        raise BudgetRefused(_("Give the plan's estimated cost, above zero."), "cost_required")
    if cost > MAX_PLAN_CENTS:
        raise BudgetRefused(_("The estimated cost is too high for a plan."), "cost_required")
    latitude, longitude = data.get("latitude"), data.get("longitude")
    if (latitude is None) != (longitude is None):
        raise BudgetRefused(_("A place on the map needs both coordinates."), "incomplete")
    if latitude is not None and not (
        Decimal(-90) <= Decimal(str(latitude)) <= Decimal(90)
        and Decimal(-180) <= Decimal(str(longitude)) <= Decimal(180)
    ):
        raise BudgetRefused(_("The place on the map lies outside the world."), "incomplete")
    category = data.get("category")
    if category is not None and category.municipality_id != process.municipality_id:
        raise BudgetRefused(_("The category is one of another municipality."), "not_in_round")
    return data


# --- Plans ---------------------------------------------------------------------------------------


def plan_submit(
    *,
    actor: Any,
    process: BudgetProcess,
    values: Mapping[str, Any],
    picture: UploadedFile | Picture | None = None,
) -> Plan:
    """Submit a plan in the round: title, summary, description, area (one of the round's),
    address and place on the map, category, estimated cost in cents and an initiative of the
    author's own (`values["initiative"]`, whose values fill what was left empty)."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    author = _person(actor)
    checked = check_picture(picture) if isinstance(picture, UploadedFile) else picture
    with transaction.atomic():
        process = _lock_process(process)
        if process.status != ProcessStatus.PUBLISHED and not _is_system(actor):
            raise BudgetRefused(_("This round takes no plans."), "wrong_phase")
        _require_phase(process, Capability.PROPOSE, actor)
        data = _clean_values(process, values, author=author)
        plan = Plan(process=process, author=author, project_id=_next_project_id(process), **data)
        if checked is not None:
            _store_picture(plan, checked)
        stored = plan.picture.name or ""
        try:
            with transaction.atomic():
                plan.save()
        except BaseException:
            _drop_stored_picture(plan, stored)
            raise
        audit.record(
            actor=actor,
            action=BudgetAction.PLAN_SUBMIT,
            instance=plan,
            after=audit.snapshot(plan, [*PLAN_FIELDS, "project_id", "process"]),
            municipality_id=process.municipality_id,
        )
    return plan


def plan_change(
    *,
    actor: Any,
    plan: Plan,
    values: Mapping[str, Any],
    picture: UploadedFile | Picture | None = None,
    remove_picture: bool = False,
) -> Plan:
    """The author changes the plan while the round collects plans. A plan the municipality
    had checked is checked again (its verdict goes back to "not checked yet")."""
    checked = check_picture(picture) if isinstance(picture, UploadedFile) else picture
    with transaction.atomic():
        (plan,) = _lock_plans(plan)
        if not actor.has_perm("budgeting.change_plan", plan):
            raise PermissionDenied
        _require_phase(plan.process, Capability.PROPOSE, actor)
        before = audit.snapshot(plan, [*PLAN_FIELDS, *FEASIBILITY_FIELDS, "picture"])
        data = _clean_values(
            plan.process,
            {**_current(plan), **values},
            author=plan.author,
            linked_initiative_id=plan.initiative_id,
        )
        changed = bool(checked is not None or (remove_picture and plan.picture)) or any(
            getattr(plan, name) != value for name, value in data.items()
        )
        for name, value in data.items():
            setattr(plan, name, value)
        old_picture = plan.picture.name or ""
        storage = plan.picture.storage
        if checked is not None:
            _store_picture(plan, checked)
            _delete_file_on_commit(old_picture, storage)
        elif remove_picture and old_picture:
            plan.picture = ""
            _delete_file_on_commit(old_picture, storage)
        if changed and plan.feasibility != FeasibilityVerdict.PENDING:
            plan.feasibility = FeasibilityVerdict.PENDING
            plan.municipal_cost_cents = None
            plan.feasibility_reason = ""
        stored = plan.picture.name if checked is not None else ""
        try:
            with transaction.atomic():
                plan.save()
        except BaseException:
            _drop_stored_picture(plan, stored or "")
            raise
        after = audit.snapshot(plan, [*PLAN_FIELDS, *FEASIBILITY_FIELDS, "picture"])
        audit.record(
            actor=actor,
            action=BudgetAction.PLAN_CHANGE,
            instance=plan,
            before={k: v for k, v in before.items() if after.get(k) != v},
            after={k: v for k, v in after.items() if before.get(k) != v},
            municipality_id=plan.process.municipality_id,
        )
    return plan


def _current(plan: Plan) -> dict[str, Any]:
    return {name: getattr(plan, name) for name in PLAN_FIELDS}


# --- Likes ---------------------------------------------------------------------------------------


def like_toggle(*, actor: Any, plan: Plan) -> bool:
    """Like the plan, or withdraw one's like; True when the actor now likes it.

    The plan's row is locked while its like is added or removed, and `like_count` moves with
    the row of the like in the same transaction: it is always the number of likes."""
    if not getattr(actor, "is_authenticated", False) or _is_system(actor):
        raise PermissionDenied
    ratelimit.limit(actor, "like")
    with transaction.atomic():
        (plan,) = _lock_plans(plan)
        process = plan.process
        if process.status not in (ProcessStatus.PUBLISHED,):
            raise BudgetRefused(
                _("Plans can only be liked while the round collects likes."), "wrong_phase"
            )
        _require_phase(process, Capability.SUPPORT, actor)
        if plan.status not in VISIBLE_PLAN:
            raise BudgetRefused(
                _("This plan was hidden or merged with another: it cannot be liked."),
                "not_visible",
            )
        if plan.author_id == actor.pk:
            raise BudgetRefused(_("You cannot like your own plan."), "own_plan")
        if role_index(actor).is_official:
            raise BudgetRefused(
                _("Officials do not like plans: likes decide what goes on the residents' ballot."),
                "official_like",
            )
        existing = Like.objects.filter(plan=plan, user=actor).first()
        if existing is not None:
            existing.delete()
            Plan.objects.filter(pk=plan.pk).update(like_count=F("like_count") - 1)
            audit.record(
                actor=actor,
                action=BudgetAction.PLAN_UNLIKE,
                instance=plan,
                municipality_id=process.municipality_id,
            )
            return False
        if not actor.has_perm("budgeting.like_plan", plan):
            raise PermissionDenied
        try:
            with transaction.atomic():
                Like.objects.create(plan=plan, user=actor)
        except IntegrityError:
            return True  # the same person's other request liked it a moment ago
        Plan.objects.filter(pk=plan.pk).update(like_count=F("like_count") + 1)
        audit.record(
            actor=actor,
            action=BudgetAction.PLAN_LIKE,
            instance=plan,
            municipality_id=process.municipality_id,
        )
        return True


# --- Moderation ----------------------------------------------------------------------------------


def plan_merge(*, actor: Any, plan: Plan, into: Plan, reason: str = "") -> Plan:
    """Merge a duplicate `plan` into `into`: its likes move along (a person who liked both
    counts once; the target's author's own like is dropped), the plan becomes MERGED and
    points at the target, and both authors are told by mail, with the reason if one is given
    (the merged plan's page shows it too). Returns the target."""
    reason = (reason or "").strip()
    with transaction.atomic():
        plan, into = _lock_plans(plan, into)
        if not (
            actor.has_perm("budgeting.moderate_plan", plan)
            and actor.has_perm("budgeting.moderate_plan", into)
        ):
            raise PermissionDenied
        if plan.pk == into.pk:
            raise BudgetRefused(_("A plan cannot be merged with itself."), "same_plan")
        if plan.process_id != into.process_id or plan.area_id != into.area_id:
            raise BudgetRefused(
                _("Only plans of the same round and area can be merged."), "not_in_round"
            )
        if plan.status not in VISIBLE_PLAN or into.status not in VISIBLE_PLAN:
            raise BudgetRefused(
                _("A hidden or already merged plan cannot be merged."), "not_visible"
            )
        _require_moderation(plan.process, actor)
        likes_before = (plan.like_count, into.like_count)
        already = Like.objects.filter(plan=into).values("user_id")
        moving = Like.objects.filter(plan=plan).exclude(user_id__in=already)
        if into.author_id is not None:  # the target's author does not like their own plan
            moving = moving.exclude(user_id=into.author_id)
        moving.update(plan=into)
        Like.objects.filter(plan=plan).delete()
        into_count = Like.objects.filter(plan=into).count()
        Plan.objects.filter(pk=into.pk).update(like_count=into_count)
        into.like_count = into_count
        plan.status = PlanStatus.MERGED
        plan.merged_into = into
        plan.hidden_reason = reason
        plan.like_count = 0
        plan.save(update_fields=["status", "merged_into", "hidden_reason", "like_count"])
        audit.record(
            actor=actor,
            action=BudgetAction.PLAN_MERGE,
            instance=plan,
            before={"status": PlanStatus.PUBLISHED, "likes": likes_before[0]},
            after={
                "status": PlanStatus.MERGED,
                "into": into.pk,
                "hidden_reason": reason,
                "likes": into_count,
            },
            municipality_id=plan.process.municipality_id,
        )
        notifications.notify_merged(plan, into, reason)
    return into


def plan_hide(*, actor: Any, plan: Plan, reason: str) -> Plan:
    """Hide a plan (abuse, not a plan for the neighbourhood) with a public reason: the plan's
    page shows only the reason."""
    reason = (reason or "").strip()
    with transaction.atomic():
        (plan,) = _lock_plans(plan)
        if not actor.has_perm("budgeting.moderate_plan", plan):
            raise PermissionDenied
        if plan.status not in VISIBLE_PLAN:
            raise BudgetRefused(_("This plan is already hidden or merged."), "not_visible")
        _require_moderation(plan.process, actor)
        if not reason:
            raise BudgetRefused(
                _("Give the public reason why the plan is hidden."), "reason_required"
            )
        plan.status = PlanStatus.HIDDEN
        plan.hidden_reason = reason
        plan.save(update_fields=["status", "hidden_reason"])
        audit.record(
            actor=actor,
            action=BudgetAction.PLAN_HIDE,
            instance=plan,
            before={"status": PlanStatus.PUBLISHED},
            after={"status": PlanStatus.HIDDEN, "hidden_reason": reason},
            municipality_id=plan.process.municipality_id,
        )
    return plan


def plan_show(*, actor: Any, plan: Plan) -> Plan:
    """Show a hidden plan again (its likes were kept)."""
    with transaction.atomic():
        (plan,) = _lock_plans(plan)
        if not actor.has_perm("budgeting.moderate_plan", plan):
            raise PermissionDenied
        if plan.status != PlanStatus.HIDDEN:
            raise BudgetRefused(_("Only a hidden plan can be shown again."), "not_hidden")
        _require_moderation(plan.process, actor)
        before = {"status": plan.status, "hidden_reason": plan.hidden_reason}
        plan.status = PlanStatus.PUBLISHED
        plan.hidden_reason = ""
        plan.save(update_fields=["status", "hidden_reason"])
        audit.record(
            actor=actor,
            action=BudgetAction.PLAN_SHOW,
            instance=plan,
            before=before,
            after={"status": PlanStatus.PUBLISHED},
            municipality_id=plan.process.municipality_id,
        )
    return plan


# --- Feasibility -----------------------------------------------------------------------------


def feasibility_record(
    *,
    actor: Any,
    plan: Plan,
    verdict: str,
    municipal_cost_cents: int | None,
    reason: str,
) -> Plan:
    """The municipality's verdict on a plan: feasible at its own cost estimate (the cost on
    the ballot), or not feasible with a public reason. May be recorded again (a new verdict
    replaces the last) until voting begins."""
    reason = (reason or "").strip()
    with transaction.atomic():
        (plan,) = _lock_plans(plan)
        if not actor.has_perm("budgeting.review_plan", plan):
            raise PermissionDenied
        if plan.status not in VISIBLE_PLAN:
            raise BudgetRefused(_("A hidden or merged plan is not checked."), "not_visible")
        _require_moderation(plan.process, actor)
        if verdict == FeasibilityVerdict.FEASIBLE:
            if municipal_cost_cents is None or municipal_cost_cents <= 0:
                raise BudgetRefused(
                    _("A feasible plan needs the municipality's cost estimate, above zero."),
                    "cost_required",
                )
            if municipal_cost_cents > MAX_PLAN_CENTS:
                raise BudgetRefused(
                    _("The estimated cost is too high for a plan."), "cost_required"
                )
        elif verdict == FeasibilityVerdict.INFEASIBLE:
            if not reason:
                raise BudgetRefused(
                    _("Say publicly why the plan is not feasible."), "reason_required"
                )
            municipal_cost_cents = None
        else:
            raise BudgetRefused(_("Choose feasible or not feasible."), "unknown_verdict")
        before = audit.snapshot(plan, FEASIBILITY_FIELDS)
        plan.feasibility = verdict
        plan.municipal_cost_cents = municipal_cost_cents
        plan.feasibility_reason = reason
        plan.save(update_fields=list(FEASIBILITY_FIELDS))
        audit.record(
            actor=actor,
            action=BudgetAction.PLAN_FEASIBILITY,
            instance=plan,
            before=before,
            after=audit.snapshot(plan, FEASIBILITY_FIELDS),
            municipality_id=plan.process.municipality_id,
        )
    return plan

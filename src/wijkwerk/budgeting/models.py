"""Neighbourhood budget rounds (buurtbudget): a round, its areas and phases, plans, likes,
who voted and the ballots, and the count.

Who voted (`Participation`) and what was voted (`Ballot`) share nothing that links them: random
primary keys, no time on the ballot (the register keeps only the day), no person, no address
(docs/adr/006-secret-ballot.md). Money is in integer cents.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.phases import Capability, PhaseKind, PhaseKinds, PhaseModel, Schedule
from wijkwerk.core.workflow import StateFlags

from .states import PLAN_STATES, PROCESS_STATES, FeasibilityVerdict, PlanStatus, ProcessStatus


class BallotType(models.TextChoices):
    """What a voter does on the ballot (pabulib's `vote_type`: approval or cumulative)."""

    APPROVAL = "approval", _("choose plans (approval)")
    KNAPSACK = "knapsack", _("choose plans within the budget")
    CUMULATIVE = "cumulative", _("divide points over plans")


class CountingRule(models.TextChoices):
    """The engine's rules (`wijkwerk.counting.RULES`), under its names."""

    GREEDY = "greedy", _("most votes first, skipping what does not fit")
    GREEDY_NO_SKIP = (
        "greedy-no-skip",
        _("most votes first, stopping at the first that does not fit"),
    )
    MES = "mes", _("Method of Equal Shares")


class Completion(models.TextChoices):
    """How the Method of Equal Shares spends what its first pass leaves (the engine's names)."""

    NONE = "none", _("no completion")
    ADD1 = "add1", _("raise the budget per voter (Add1)")
    ADD1_EXHAUSTIVE = "add1-exhaustive", _("raise the budget per voter until nothing fits")
    ADD1U = "add1u", _("raise the budget per voter, then most votes first")


class TieBreak(models.TextChoices):
    """Which plan goes first when two are equal (the engine's tie-break lists)."""

    MIN_COST = "min-cost,max-votes,file-order", _("the cheaper plan, then the one with more votes")
    MAX_VOTES = "max-votes,min-cost,file-order", _("the plan with more votes, then the cheaper one")


KINDS = PhaseKinds(
    PhaseKind(
        "ideas",
        _("Plans"),
        frozenset({Capability.PROPOSE, Capability.SUPPORT}),
        _("Residents submit plans for their neighbourhood and like each other's."),
    ),
    PhaseKind(
        "likes",
        _("Likes"),
        frozenset({Capability.SUPPORT}),
        _("Residents like the plans they want on the ballot."),
    ),
    PhaseKind(
        "feasibility",
        _("Feasibility check"),
        frozenset({Capability.REVIEW}),
        _("The municipality checks whether each plan can be carried out and what it costs."),
    ),
    PhaseKind(
        "voting",
        _("Voting"),
        frozenset({Capability.VOTE}),
        _("Residents vote for the plans on the ballot."),
    ),
    PhaseKind(
        "result",
        _("Result"),
        frozenset({Capability.SEE_RESULTS}),
        _("The votes are counted and the result is published."),
    ),
    PhaseKind(
        "execution",
        _("Execution"),
        frozenset({Capability.SEE_RESULTS}),
        _("The funded plans are carried out."),
    ),
)
PHASE_ORDER = [kind.key for kind in KINDS]


class BudgetProcess(models.Model):
    """A neighbourhood budget round: an amount for one or more areas, phases, rules."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="budget_processes",
    )
    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProcessStatus.choices, default=ProcessStatus.DRAFT
    )
    fund = models.ForeignKey(
        "funds.Fund",
        verbose_name=_("fund"),
        on_delete=models.PROTECT,
        related_name="budget_processes",
        null=True,
        blank=True,
        help_text=_("The fund the funded plans are paid from."),
    )
    budget_cents = models.PositiveBigIntegerField(_("budget"))
    # who may take part
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), default=16)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    reference_date = models.DateField(
        _("reference date"),
        null=True,
        blank=True,
        help_text=_("The day on which age and address count; empty: the day of voting."),
    )
    residents_vote = models.BooleanField(_("residents may vote"), default=True)
    entrepreneurs_vote = models.BooleanField(_("entrepreneurs may vote"), default=False)
    # plans
    likes_threshold = models.PositiveIntegerField(
        _("likes needed for the ballot"),
        default=0,
        help_text=_("A feasible plan with at least this many likes goes on the ballot."),
    )
    # the ballot
    ballot_type = models.CharField(
        _("ballot"), max_length=20, choices=BallotType.choices, default=BallotType.APPROVAL
    )
    min_choices = models.PositiveSmallIntegerField(_("at least this many plans"), default=1)
    max_choices = models.PositiveSmallIntegerField(
        _("at most this many plans"), null=True, blank=True
    )
    points = models.PositiveSmallIntegerField(
        _("points per voter"), null=True, blank=True, help_text=_("Only for a points ballot.")
    )
    may_change_ballot = models.BooleanField(_("voters may change their ballot"), default=True)
    # the ways into the ballot box (eligibility.CHECKS): an account on the platform with a home
    # address in the area; a voting code from a letter or the desk, the register extract's
    # (`RegisterExtract`); DigiD / eHerkenning through the OpenID Connect broker
    vote_with_account = models.BooleanField(
        _("vote with an account"),
        default=True,
        help_text=_("Residents log in and vote in the area of the home address in their profile."),
    )
    vote_with_code = models.BooleanField(
        _("vote with a voting code"),
        default=False,
        help_text=_("Everyone in the register extract gets a letter with a personal code."),
    )
    vote_with_digid = models.BooleanField(_("vote with DigiD or eHerkenning"), default=False)
    # how the voters are helped (on the letters and the ballot pages): desk, opening hours, phone
    help_routes = models.TextField(_("help for voters"), blank=True)
    # the register extract is deleted this many days after the close (a scheduled task)
    register_retention_days = models.PositiveSmallIntegerField(
        _("keep the register extract for (days after the close)"), default=30
    )
    # the share of the paper ballots in the count, in percent (Amsterdam's Bloemenbuurt 2020:
    # 50); empty: every ballot weighs the same
    paper_share = models.PositiveSmallIntegerField(
        _("weight of the paper ballots (percent)"), null=True, blank=True
    )
    # the count
    rule = models.CharField(
        _("counting rule"), max_length=20, choices=CountingRule.choices, default=CountingRule.MES
    )
    completion = models.CharField(
        _("completion"), max_length=20, choices=Completion.choices, default=Completion.ADD1
    )
    tie_break = models.CharField(
        _("tie-breaking"), max_length=60, choices=TieBreak.choices, default=TieBreak.MIN_COST
    )
    # The key of the keyed hash that finds a voter's ballot to change it; destroyed at the close
    # (docs/adr/006-secret-ballot.md).
    ballot_key = models.BinaryField(null=True, blank=True, editable=False)
    source_file = models.CharField(
        _("imported from"), max_length=200, blank=True, help_text=_("A pabulib file.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("voting closed"), null=True, blank=True)
    counted_at = models.DateTimeField(_("counted"), null=True, blank=True)

    class Meta:
        verbose_name = _("neighbourhood budget round")
        verbose_name_plural = _("neighbourhood budget rounds")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="budgeting_process_unique_slug"
            ),
            models.CheckConstraint(
                condition=models.Q(maximum_age__isnull=True)
                | models.Q(maximum_age__gte=models.F("minimum_age")),
                name="budgeting_process_age_range",
            ),
            models.CheckConstraint(
                condition=models.Q(max_choices__isnull=True)
                | models.Q(max_choices__gte=models.F("min_choices")),
                name="budgeting_process_choice_range",
            ),
            models.CheckConstraint(
                condition=models.Q(paper_share__isnull=True)
                | models.Q(paper_share__gte=1, paper_share__lte=99),
                name="budgeting_process_paper_share",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def states(self) -> StateFlags:
        """For templates: `{% if process.states.draft %}` (states.py names the sets)."""
        return PROCESS_STATES.flags(self)

    @property
    def schedule(self) -> Schedule:
        return Schedule(self.phases.all())

    def allows(self, capability: Capability | str, now: Any = None) -> bool:
        return self.status != ProcessStatus.DRAFT and self.schedule.allows(capability, now)


class ProcessArea(models.Model):
    """An area of a round with its own part of the budget: its plans and voters are counted
    apart (one election per area, as one `.pb` file per district in pabulib)."""

    process = models.ForeignKey(
        BudgetProcess, on_delete=models.CASCADE, related_name="process_areas"
    )
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    budget_cents = models.PositiveBigIntegerField(_("budget"))

    class Meta:
        verbose_name = _("area of a round")
        verbose_name_plural = _("areas of a round")
        ordering = ["area__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["process", "area"], name="budgeting_area_once"),
        ]

    def __str__(self) -> str:
        return str(self.area)


class ProcessPhase(PhaseModel):
    KINDS = KINDS

    process = models.ForeignKey(BudgetProcess, on_delete=models.CASCADE, related_name="phases")

    class Meta(PhaseModel.Meta):
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            *PhaseModel.Meta.constraints,
            models.UniqueConstraint(fields=["process", "kind"], name="budgeting_phase_once"),
        ]

    def __str__(self) -> str:
        return str(self.label)


def plan_picture_path(instance: Plan, filename: str) -> str:
    return f"plans/{instance.process_id}/{uuid.uuid4().hex}.jpg"


class Plan(models.Model):
    """A resident's plan in a round (an idea, a project on the ballot)."""

    process = models.ForeignKey(BudgetProcess, on_delete=models.CASCADE, related_name="plans")
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_plans",
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_plans",
        help_text=_("The initiative this plan is, or became once funded."),
    )
    title = models.CharField(_("title"), max_length=150)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    picture = models.ImageField(
        _("picture"), upload_to=plan_picture_path, max_length=200, blank=True
    )
    address = models.CharField(_("address or place"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    category = models.ForeignKey(
        "funds.Category",
        verbose_name=_("category"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    estimated_cost_cents = models.PositiveBigIntegerField(_("estimated cost"))
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.PUBLISHED
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_plans",
    )
    hidden_reason = models.TextField(_("why it is hidden"), blank=True)
    # the municipality's check
    feasibility = models.CharField(
        _("feasibility"),
        max_length=20,
        choices=FeasibilityVerdict.choices,
        default=FeasibilityVerdict.PENDING,
    )
    municipal_cost_cents = models.PositiveBigIntegerField(
        _("the municipality's cost estimate"), null=True, blank=True
    )
    feasibility_reason = models.TextField(_("reason"), blank=True)
    like_count = models.PositiveIntegerField(_("likes"), default=0)
    # the project id in an imported or exported .pb file
    project_id = models.CharField(_("project number"), max_length=40)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["process", "area__name", "title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "project_id"], name="budgeting_plan_unique_project_id"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def states(self) -> StateFlags:
        """For templates: `{% if plan.states.hidden %}`."""
        return PLAN_STATES.flags(self)

    @property
    def cost_cents(self) -> int:
        """What the plan costs on the ballot: the municipality's estimate once it has one."""
        if self.municipal_cost_cents is not None:
            return self.municipal_cost_cents
        return self.estimated_cost_cents


class Like(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="budget_plan_likes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("like")
        verbose_name_plural = _("likes")
        constraints = [
            models.UniqueConstraint(fields=["plan", "user"], name="budgeting_like_once"),
        ]

    def __str__(self) -> str:
        return str(self.plan)


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    PAPER = "paper", _("on paper")
    IMPORTED = "imported", _("imported")


class Participation(models.Model):
    """That a person voted in a round (the register of who voted): never what.

    A random key and only the day, so that neither the order of the rows nor a timestamp links
    it to a ballot."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey(
        BudgetProcess, on_delete=models.CASCADE, related_name="participations"
    )
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_participations",
    )
    # keyed hash of the voter (`eligibility.Voter.register_key`: an account, a voting code, a
    # DigiD BSN) under the site's secret: one row per voter whatever the way in
    voter_key = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 (unique)
    age_band = models.CharField(_("age"), max_length=10, blank=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    voted_on = models.DateField(_("voted on"))

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "user"], name="budgeting_participation_once"
            ),
            models.UniqueConstraint(
                fields=["process", "voter_key"], name="budgeting_participation_voter_once"
            ),
        ]

    def __str__(self) -> str:
        return str(self.process)


class Ballot(models.Model):
    """What one voter chose: plan ids and points, in the ballot itself (no rows per choice,
    whose sequential keys would give away the order of voting). No person and no time at all:
    not even the day, which would name the ballot of the one person who voted (or changed their
    ballot) in an area that day (docs/adr/006-secret-ballot.md)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey(BudgetProcess, on_delete=models.CASCADE, related_name="ballots")
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    # [[plan id, points], ...] sorted by plan id; points 1 on approval and knapsack ballots
    choices = models.JSONField(_("choices"))
    # SHA-256 of the receipt code the voter was shown (the code itself is kept nowhere); none
    # on imported ballots
    receipt_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    # HMAC of the voter under the round's `ballot_key`, while the ballot may still change
    change_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return str(self.process)

    def plan_ids(self) -> list[int]:
        return [plan_id for plan_id, _points in self.choices]


class AreaResult(models.Model):
    """The count of one area of a round: the engine's outcome and the `.pb` file it counted."""

    process = models.ForeignKey(BudgetProcess, on_delete=models.CASCADE, related_name="results")
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    counted_at = models.DateTimeField(_("counted"))
    voters = models.PositiveIntegerField(_("voters"))
    # the engine's outcome (Outcome.to_json with the explanations' codes and data)
    outcome = models.JSONField()
    pb_text = models.TextField()
    pb_sha256 = models.CharField(max_length=64)
    # what the result page draws, worked out once at the count (services.results.figures):
    # each plan's votes, cost and whether funded, money per category, turnout per age band
    figures = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["area__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["process", "area"], name="budgeting_result_once"),
        ]

    def __str__(self) -> str:
        return f"{self.process} – {self.area}"


class RegisterExtract(models.Model):
    """An extract of the population register (BRP) for one round: who may vote with a code.

    Kept until the round closes plus `BudgetProcess.register_retention_days`, then its rows are
    deleted (`deleted_at` stays, for the audit trail); the ballots never link to it."""

    process = models.ForeignKey(
        BudgetProcess, on_delete=models.CASCADE, related_name="register_extracts"
    )
    file_name = models.CharField(_("file"), max_length=200)
    row_count = models.PositiveIntegerField(_("rows"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    delete_after = models.DateField(_("delete after"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    class Meta:
        verbose_name = _("register extract")
        verbose_name_plural = _("register extracts")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class RegisterEntry(models.Model):
    """One eligible person (or business) in a register extract. No BSN: where the extract
    carries one, only its keyed hash (`bsn_hash`), so that a DigiD login finds the row and the
    person votes once whichever way they come."""

    extract = models.ForeignKey(RegisterExtract, on_delete=models.CASCADE, related_name="entries")
    process = models.ForeignKey(BudgetProcess, on_delete=models.CASCADE, related_name="+")
    process_area = models.ForeignKey(ProcessArea, on_delete=models.CASCADE, related_name="+")
    # the municipality's own reference of the row (never a BSN), unique in the round
    reference = models.CharField(_("reference"), max_length=40)
    capacity = models.CharField(_("as"), max_length=20, default="resident")
    postcode = models.CharField(_("postcode"), max_length=6)
    house_number = models.CharField(_("house number"), max_length=16)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    secret_address = models.BooleanField(_("secret address"), default=False)
    kvk_number = models.CharField(_("KvK number"), max_length=8, blank=True)
    bsn_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 (unique)

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "reference"], name="budgeting_register_unique_reference"
            ),
            models.UniqueConstraint(
                fields=["process", "bsn_hash"], name="budgeting_register_unique_bsn"
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class CodeIssue(models.TextChoices):
    LETTER = "letter", _("by letter")
    DESK = "desk", _("at the desk")


class VotingCode(models.Model):
    """A single-use voting code (glossary: VotingCode), kept only as a keyed hash.

    Made for a register entry (`entry`, gone with the extract); `used_channel` says that, and
    how, the code was used, never which ballot it cast."""

    process = models.ForeignKey(BudgetProcess, on_delete=models.CASCADE, related_name="codes")
    process_area = models.ForeignKey(ProcessArea, on_delete=models.CASCADE, related_name="+")
    entry = models.OneToOneField(
        RegisterEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="code"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    age_band = models.CharField(_("age"), max_length=10, blank=True)
    capacity = models.CharField(_("as"), max_length=20, default="resident")
    issued = models.CharField(
        _("handed out"), max_length=10, choices=CodeIssue.choices, default=CodeIssue.LETTER
    )
    # a desk code: when it was handed out (who did is in the audit trail); a letter code: none
    handed_out_at = models.DateTimeField(_("handed out at"), null=True, blank=True)
    # blank until the code is used; then online or paper, and not the other
    used_channel = models.CharField(_("used"), max_length=10, choices=Channel.choices, blank=True)

    class Meta:
        verbose_name = _("voting code")
        verbose_name_plural = _("voting codes")

    def __str__(self) -> str:
        return str(self.process)


class PaperStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the second entry")
    AGREED = "agreed", _("both entries agree")
    DISPUTED = "disputed", _("the entries differ")
    RESOLVED = "resolved", _("resolved from the paper")
    VOID = "void", _("invalid")


class PaperBallot(models.Model):
    """A paper ballot from the ballot box, by the number written on it at the count: counted
    once two officials entered it alike (or a third resolved their difference from the paper).

    The box holds only ballots whose voting code was taken in at the desk or from the envelope
    (`VotingCode.used_channel` paper): the paper ballot itself carries no code."""

    process = models.ForeignKey(
        BudgetProcess, on_delete=models.CASCADE, related_name="paper_ballots"
    )
    process_area = models.ForeignKey(ProcessArea, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(
        _("status"), max_length=10, choices=PaperStatus.choices, default=PaperStatus.PENDING
    )
    # the choices counted ([[plan id, points], ...]) once agreed or resolved
    choices = models.JSONField(_("choices"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("paper ballot")
        verbose_name_plural = _("paper ballots")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "number"], name="budgeting_paper_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.process} #{self.number}"


class PaperEntry(models.Model):
    """One official's reading of a paper ballot; a second official's must agree."""

    paper = models.ForeignKey(PaperBallot, on_delete=models.CASCADE, related_name="entries")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    choices = models.JSONField(_("choices"))
    entered_at = models.DateTimeField(_("entered"), auto_now_add=True)

    class Meta:
        verbose_name = _("paper ballot entry")
        verbose_name_plural = _("paper ballot entries")
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "entered_by"], name="budgeting_paper_entry_once_each"
            ),
        ]

    def __str__(self) -> str:
        return str(self.paper)

"""Reads for initiatives: a fixed number of queries per page, whatever the number of rows.

`public_initiatives` is the one place that decides how the list searches: PostgreSQL full-text
search (Dutch configuration, title weighing more than summary, on the stored vector and GIN index
of migration 0006) or, on SQLite, the FTS5 trigram table of migration 0006 (case-insensitive
substrings of at least three characters, each word also by its Dutch Snowball stem, so that
"moestuinen" finds "moestuin" on both databases; ranked with bm25 with the same weights).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import snowballstemmer
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    Expression,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from wijkwerk.areas.models import Area
from wijkwerk.funds.models import Fund
from wijkwerk.funds.selectors import Figures, funds_for_area, with_figures

from .models import (
    Attachment,
    AttachmentPurpose,
    Initiative,
    Message,
    PendingUpload,
    Status,
    Support,
)
from .policy import works_on
from .states import AWAITING_DECISION, ENDED, FINISHED, PUBLIC, RUNNING

PAGE_SIZE = 20
SORTS: dict[str, tuple[Any, ...]] = {
    # Never-submitted drafts (no date) last, as SQLite sorts them anyway: on PostgreSQL, where
    # they came first, the list walked past every draft in the index before the first row.
    "newest": (F("submitted_at").desc(nulls_last=True), "-id"),
    "oldest": ("submitted_at", "id"),
    "support": ("-support_count", "-submitted_at", "-id"),
    "amount": ("-requested_cents", "-id"),
    "title": ("title", "id"),
}
LIST_FIELDS = (
    "id",
    "title",
    "summary",
    "status",
    "requested_cents",
    "granted_cents",
    "support_count",
    "submitted_at",
    "created_at",
    "consent_to_publish",
    "latitude",
    "longitude",
    "area__id",
    "area__name",
    "category__id",
    "category__name",
    "fund__id",
    "fund__name",
    "fund__year",
)
_WORD = re.compile(r"\w{4,}", re.UNICODE)
# Words too common in plans to say two plans are alike.
_STOPWORDS = frozenset(
    {
        "voor",
        "onze",
        "deze",
        "door",
        "maar",
        "ook",
        "naar",
        "over",
        "wijk",
        "buurt",
        "straat",
        "met",
        "zijn",
        "wordt",
        "worden",
        "hebben",
        "willen",
        "graag",
        "samen",
        "bewoners",
        "bewonersinitiatief",
        "initiatief",
        "project",
        "with",
        "from",
        "that",
        "this",
    }
)


def _within(area_id: int) -> Q:
    """The area and the areas inside it (neighbourhoods of a district), as a subquery of area
    ids: the database picks the initiatives by their area index instead of joining areas."""
    inside = Area.objects.filter(
        Q(pk=area_id) | Q(parent_id=area_id) | Q(parent__parent_id=area_id)
    ).values("pk")
    return Q(area_id__in=inside)


def public_queryset() -> QuerySet[Initiative]:
    return Initiative.objects.filter(consent_to_publish=True, status__in=PUBLIC)


@dataclass(frozen=True)
class ListFilters:
    query: str = ""
    area: int | None = None
    status: str = ""
    category: int | None = None
    fund: int | None = None
    year: int | None = None
    sort: str = "newest"


def search_vector() -> Any:
    # The expression of migration 0006's stored column `search_document` (and of 0003's index).
    return SearchVector("title", weight="A", config="dutch") + SearchVector(
        "summary", weight="B", config="dutch"
    )


class SearchDocument(Expression):
    """PostgreSQL: the stored `search_document` column of migration 0006 (`search_vector()`,
    computed on write). Not a model field, so that SQLite has no such column."""

    output_field = SearchVectorField()

    def __init__(self, alias: str | None = None) -> None:
        super().__init__()
        self.alias = alias

    def resolve_expression(self, query: Any = None, *args: Any, **kwargs: Any) -> SearchDocument:
        return SearchDocument(query.get_initial_alias() if query is not None else self.alias)

    def relabeled_clone(self, change_map: Mapping[str, str]) -> SearchDocument:
        return SearchDocument(change_map.get(self.alias or "", self.alias))

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        table = compiler.quote_name(self.alias or Initiative._meta.db_table)
        return f"{table}.{connection.ops.quote_name('search_document')}", ()


# SQLite: the FTS5 table of migration 0006, ranked by bm25 with PostgreSQL's weights (title A
# 1.0, summary B 0.4). The trigram tokenizer matches no term shorter than three characters.
_SQLITE_MATCHES = (
    "SELECT rowid FROM initiatives_initiative_search WHERE initiatives_initiative_search MATCH %s"
)
_SQLITE_RANK = (
    "SELECT bm25(initiatives_initiative_search, 1.0, 0.4) FROM initiatives_initiative_search "
    "WHERE initiatives_initiative_search MATCH %s "
    "AND initiatives_initiative_search.rowid = initiatives_initiative.id"
)
MIN_TRIGRAM_TERM = 3
MAX_SEARCH_WORDS = 8


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _sqlite_term(word: str, stemmer: Any) -> str:
    """The FTS5 query for one word: the word itself or its Dutch stem (Snowball, as PostgreSQL's
    'dutch' configuration stems), so "moestuinen" finds "moestuin" too; "moestuin" finds
    "moestuinen" as its part already."""
    stem = stemmer.stemWord(word.lower())
    if len(stem) < MIN_TRIGRAM_TERM:
        return _fts_phrase(word)
    if stem in word.lower():  # the stem finds the word too, as a part of it
        return _fts_phrase(stem)
    return f"({_fts_phrase(word)} OR {_fts_phrase(stem)})"  # "bomen": "boom"


def _sqlite_search(
    qs: QuerySet[Initiative], text: str, *, ranked: bool
) -> tuple[QuerySet[Initiative], bool]:
    """Every word must occur in the title or summary, as written or as its Dutch stem. Words of
    three characters or more are looked up in the FTS5 table; shorter ones are checked on the
    rows it found (or, when there are only short words, on all rows). Returns the queryset and
    whether it has a rank."""
    # a stemmer per search: a Snowball stemmer keeps the word it works on, so threads may not
    # share one
    stemmer = snowballstemmer.stemmer("dutch")
    words = text.split()[:MAX_SEARCH_WORDS]
    indexed = [w for w in words if len(w) >= MIN_TRIGRAM_TERM]
    for word in words:
        if len(word) < MIN_TRIGRAM_TERM:
            qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    if not indexed:
        return qs, False
    match = " ".join(_sqlite_term(word, stemmer) for word in indexed)
    # Constant SQL; the search text is a parameter.
    qs = qs.filter(id__in=RawSQL(_SQLITE_MATCHES, [match]))  # noqa: S611
    if ranked:
        rank = RawSQL(_SQLITE_RANK, [match], output_field=FloatField())  # noqa: S611
        qs = qs.annotate(rank=rank)
    return qs, ranked


def public_initiatives(filters: ListFilters) -> QuerySet[Initiative]:
    qs = public_queryset()
    if filters.area:
        qs = qs.filter(_within(filters.area))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category_id=filters.category)
    if filters.fund:
        qs = qs.filter(fund_id=filters.fund)
    if filters.year:
        start = timezone.make_aware(datetime.datetime(filters.year, 1, 1))
        end = timezone.make_aware(datetime.datetime(filters.year + 1, 1, 1))
        qs = qs.filter(submitted_at__gte=start, submitted_at__lt=end)
    order = SORTS.get(filters.sort, SORTS["newest"])
    relevance = filters.sort == "relevance"
    if filters.query:
        if connection.vendor == "postgresql":
            query = SearchQuery(filters.query, config="dutch", search_type="websearch")
            qs = qs.alias(document=SearchDocument()).filter(document=query)
            if relevance:
                qs = qs.annotate(rank=SearchRank(SearchDocument(), query))
                order = ("-rank", "-submitted_at", "-id")
        else:
            qs, ranked = _sqlite_search(qs, filters.query, ranked=relevance)
            if ranked:
                order = ("rank", "-submitted_at", "-id")  # bm25: lower is a better match
    return qs.select_related("area", "category", "fund").only(*LIST_FIELDS).order_by(*order)


_MAP_PLACEHOLDER = 987654321


def map_points(initiatives: Iterable[Initiative]) -> list[dict[str, Any]]:
    """The list page's initiatives (`public_initiatives`, so public ones only) that have a place,
    for the map above the list: title, link and coordinates. The map shows the page the list
    shows, without a query of its own: one over every initiative with a place made the list
    twice as slow at 10,000 initiatives."""
    # one reverse() for every link
    prefix, _, suffix = reverse("initiatives:detail", kwargs={"pk": _MAP_PLACEHOLDER}).rpartition(
        str(_MAP_PLACEHOLDER)
    )
    return [
        {
            "title": initiative.title,
            "url": f"{prefix}{initiative.pk}{suffix}",
            "lat": float(initiative.latitude),
            "lng": float(initiative.longitude),
        }
        for initiative in initiatives
        if initiative.latitude is not None and initiative.longitude is not None
    ]


# The list counts its results up to this many (or up to the page asked for, if further): an
# exact count of every public initiative on every request cost more than the page itself, and
# "more than 1,000" tells a visitor as much.
COUNT_LIMIT = 1_000


class ListPaginator(Paginator):
    """A paginator that counts at most `limit` rows (and one more, to know whether there are
    more): at least COUNT_LIMIT, and at least up to the end of the requested page."""

    def __init__(self, rows: QuerySet[Any], per_page: int, *, number: int = 1) -> None:
        super().__init__(rows, per_page)
        self.rows = rows
        self.limit = max(COUNT_LIMIT, number * per_page)

    @cached_property
    def count(self) -> int:
        return self.rows.order_by()[: self.limit + 1].count()

    @property
    def is_capped(self) -> bool:
        """True when there are more than `limit` rows (`count` is then `limit` + 1)."""
        return self.count > self.limit


# Nobody pages deeper than this; a larger number made the count's LIMIT overflow the database's
# integers (a server error for ?page=99999999999999999999). Beyond the last page is the last page.
MAX_PAGE = 1_000


def page_number(text: str | None) -> int:
    try:
        return min(max(int(text or 1), 1), MAX_PAGE)
    except ValueError:
        return 1


def budget_year(initiative: Initiative) -> int:
    """The year whose funds pay for the initiative: the year the activity starts, else the year
    it was submitted, else this year."""
    if initiative.planned_start is not None:
        return initiative.planned_start.year
    return timezone.localdate(initiative.submitted_at).year


def funds_for_approval(initiative: Initiative) -> list[tuple[Fund, Figures]]:
    """The funds an approval may draw on, with what each has available (one query): active,
    of the initiative's scheme and budget year, covering its area or the whole municipality.
    Funds for the area itself come before municipality-wide ones."""
    funds = funds_for_area(initiative.area, budget_year(initiative))
    if initiative.scheme_id is not None:
        funds = funds.filter(scheme_id=initiative.scheme_id)
    for_areas = Fund.areas.through.objects.filter(fund_id=OuterRef("pk"))
    with_available = with_figures(funds.annotate(for_areas=Exists(for_areas)))
    return sorted(with_available, key=_area_funds_first)


def _area_funds_first(item: tuple[Fund, Figures]) -> tuple[bool, str]:
    fund = item[0]
    return (not fund.for_areas, fund.name)  # type: ignore[attr-defined]  # annotated above


def mine(user: Any) -> QuerySet[Initiative]:
    return (
        Initiative.objects.filter(applicant=user)
        .select_related("area", "category", "fund")
        .order_by("-updated_at", "-id")
    )


def initiative_for(user: Any, pk: int) -> Initiative | None:
    """The initiative if this person may see it, with what the permission rules need.

    One query joins what every page of an initiative uses. The group or council it was
    submitted for is prefetched instead: usually there is none (no query then), and two more
    joins made PostgreSQL spend longer planning the query than running it. Whether the visitor
    supports it is only asked for a logged-in visitor."""
    qs = Initiative.objects.select_related(
        "area__parent__parent",
        "area__municipality",
        "applicant",
        "broker",
        "category",
        "scheme",
        "fund",
        "accountability",
    ).prefetch_related("resident_group", "area_council")
    if user.is_authenticated:
        qs = qs.annotate(
            viewer_supports=Exists(
                Support.objects.filter(initiative=OuterRef("pk"), user_id=user.pk)
            )
        )
    initiative = qs.filter(pk=pk).first()
    if initiative is None or not user.has_perm("initiatives.view_initiative", initiative):
        return None
    return initiative


def _person_fields(relation: str) -> tuple[str, ...]:
    """What `User.display_name` reads, through a relation."""
    return (f"{relation}__full_name", f"{relation}__email")


def detail_context(user: Any, initiative: Initiative) -> dict[str, Any]:
    """Everything the detail page lists, in one query per kind of thing."""
    staff = user.has_perm("initiatives.view_internal", initiative)
    private_files = user.has_perm("initiatives.view_private_files", initiative)
    attachments = list(initiative.attachments.all())
    if not private_files:
        attachments = [
            a for a in attachments if a.is_image and a.purpose != AttachmentPurpose.RECEIPT
        ]
    conversation: list[Message] = []
    if user.has_perm("initiatives.converse", initiative):
        messages_qs = initiative.messages.select_related("author").only(
            "id", "initiative_id", "body", "is_internal", "created_at", *_person_fields("author")
        )
        if not staff:
            messages_qs = messages_qs.filter(is_internal=False)
        conversation = list(messages_qs)
    accountability = getattr(initiative, "accountability", None)
    return {
        "budget_lines": list(initiative.budget_lines.all()),
        "co_applicants": list(initiative.co_applicants.all()) if private_files else [],
        "attachments": attachments,
        "timeline": list(
            initiative.status_changes.only(
                "id", "initiative_id", "action", "from_status", "to_status", "note", "created_at"
            )
        ),
        "conversation": conversation,
        "help_offers": list(
            initiative.help_offers.select_related("user").only(
                "id", "initiative_id", "text", "created_at", *_person_fields("user")
            )
        )
        if private_files
        else [],
        "supports": getattr(initiative, "viewer_supports", False),
        "accountability": accountability,
        "is_staff": staff,
        "private_files": private_files,
    }


def similar_initiatives(initiative: Initiative, limit: int = 5) -> list[Initiative]:
    """Public initiatives in the same area (or the areas around and inside it) that share
    words with this one's title and summary, most shared words first."""
    words = {
        w.lower() for w in _WORD.findall(f"{initiative.title} {initiative.summary}")
    } - _STOPWORDS
    if not words:
        return []
    lineage = initiative.area.lineage_ids
    match = Q()
    for word in sorted(words, key=len, reverse=True)[:8]:
        match |= Q(title__icontains=word) | Q(summary__icontains=word)
    candidates = list(
        public_queryset()
        .filter(Q(area_id__in=lineage) | Q(area__parent_id=initiative.area_id))
        .filter(match)
        .exclude(pk=initiative.pk)
        .exclude(status__in=ENDED)
        .select_related("area")
        .only("id", "title", "summary", "status", "area__name", "support_count")[:100]
    )

    def shared(other: Initiative) -> int:
        theirs = {w.lower() for w in _WORD.findall(f"{other.title} {other.summary}")}
        return len(words & theirs)

    candidates.sort(key=lambda other: (-shared(other), -other.support_count))
    return candidates[:limit]


def good_examples(*, area: Area | None = None, limit: int = 3) -> list[Initiative]:
    """Completed initiatives with a photo of the result and consent to publish."""
    photos = Attachment.objects.filter(
        initiative=OuterRef("pk"), purpose=AttachmentPurpose.RESULT_PHOTO, is_image=True
    )
    qs = Initiative.objects.filter(consent_to_publish=True, status__in=FINISHED).filter(
        Exists(photos)
    )
    if area is not None:
        qs = qs.filter(_within(area.pk))
    return list(
        qs.annotate(photo_id=Subquery(photos.order_by("id").values("id")[:1]))
        .select_related("area")
        .only("id", "title", "summary", "area__name")
        .order_by("-updated_at")[:limit]
    )


def area_activity(area: Area, *, open_limit: int = 5, example_limit: int = 3) -> dict[str, list]:
    """For an area page: its open initiatives and its good examples (completed, with a photo of
    the result), newest first. One query: the two plain selections (each walking the index in
    its order, cheaper than one with a window function) as limited subqueries of one, as the
    area page holds many panels."""
    photos = Attachment.objects.filter(
        initiative=OuterRef("pk"), purpose=AttachmentPurpose.RESULT_PHOTO, is_image=True
    )
    photo = Subquery(photos.order_by("id").values("id")[:1])
    here = public_queryset().filter(_within(area.pk)).order_by("-submitted_at", "-id")
    open_ids = here.exclude(status__in=FINISHED).values("id")[:open_limit]
    example_ids = (
        here.filter(status__in=FINISHED)
        .annotate(photo_id=photo)
        .filter(photo_id__isnull=False)
        .values("id")[:example_limit]
    )
    found: dict[str, list] = {"open": [], "example": []}
    for initiative in (
        Initiative.objects.filter(Q(pk__in=open_ids) | Q(pk__in=example_ids))
        .select_related("area")
        .only("id", "title", "summary", "status", "submitted_at", "area__name")
        .annotate(photo_id=photo)
        .order_by("-submitted_at", "-id")
    ):
        found["example" if initiative.status in FINISHED else "open"].append(initiative)
    return found


def _works_on(user: Any) -> Q:
    """The initiatives in the areas this person works in for the municipality (and the areas
    inside them), or in the municipality they administer: the policy's `works_on`."""
    return works_on.objects(user)


# Rows per section on the overview; each section links to all of its rows, a page at a time.
DASHBOARD_ROWS = 5
DASHBOARD_PAGE_SIZE = 50
DASHBOARD_FIELDS = (
    "id",
    "title",
    "status",
    "requested_cents",
    "granted_cents",
    "decision_due",
    "area__name",
    "broker__full_name",
    "broker__email",
)
DASHBOARD_ORDER = ("decision_due", "submitted_at", "id")


@dataclass
class Section:
    key: str
    rows: list[Initiative]
    total: int


def _dashboard_sections(today: datetime.date) -> dict[str, Q]:
    awaiting = Q(status__in=AWAITING_DECISION)
    running = Q(status__in=RUNNING)
    return {
        "overdue": awaiting & Q(decision_due__lt=today),
        "new": awaiting & (Q(decision_due__gte=today) | Q(decision_due__isnull=True)),
        # an advance not paid yet, or the amount finally set waiting for a second official
        "awaiting_payment": (running & Q(paid_cents=0, granted_cents__gt=0))
        | Q(status=Status.COMPLETED, final_cents__gt=F("paid_cents")),
        "awaiting_accountability": Q(status=Status.ACCOUNTED),
        "in_progress": running & Q(paid_cents__gt=0),
    }


DASHBOARD_SECTIONS = tuple(_dashboard_sections(datetime.date.min))


def dashboard(user: Any, *, today: datetime.date | None = None) -> dict[str, Section]:
    """The "My areas" overview: per section the count and the first rows (most urgent first).

    One query, whatever the number of initiatives: the sections exclude each other, so each row
    is labelled with its section, numbered within it and given its section's size (window
    functions); only the first rows of each section leave the database."""
    today = today or timezone.localdate()
    sections = _dashboard_sections(today)
    in_any = Q()
    for condition in sections.values():
        in_any |= condition
    section = Case(
        *(When(condition, then=Value(key)) for key, condition in sections.items()),
        output_field=CharField(),
    )
    rows = (
        Initiative.objects.filter(_works_on(user))
        .filter(in_any)
        .annotate(section=section)
        .annotate(
            position=Window(RowNumber(), partition_by=F("section"), order_by=DASHBOARD_ORDER),
            section_total=Window(Count("id"), partition_by=F("section")),
        )
        .filter(position__lte=DASHBOARD_ROWS)
        .select_related("area", "broker")
        .only(*DASHBOARD_FIELDS)
        .order_by("section", "position")
    )
    board = {key: Section(key, [], 0) for key in sections}
    for row in rows:
        entry = board[row.section]
        entry.rows.append(row)
        entry.total = row.section_total
    return board


def dashboard_section(
    user: Any, key: str, *, today: datetime.date | None = None
) -> QuerySet[Initiative]:
    """All initiatives of one section of the overview (most urgent first), to page through."""
    condition = _dashboard_sections(today or timezone.localdate())[key]
    return (
        Initiative.objects.filter(_works_on(user))
        .filter(condition)
        .select_related("area", "broker")
        .only(*DASHBOARD_FIELDS)
        .order_by(*DASHBOARD_ORDER)
    )


def staff_initiatives(user: Any, ids: list[int]) -> QuerySet[Initiative]:
    return (
        Initiative.objects.filter(pk__in=ids)
        .filter(_works_on(user))
        .select_related("area__parent__parent", "area__municipality")
    )


def pending_uploads(user: Any, ids: Iterable[int]) -> list[PendingUpload]:
    """The user's own files waiting for a new application to be saved, among `ids` (the ids
    the form carries); anyone else's id is ignored."""
    wanted = list(ids)
    if not wanted or not user.is_authenticated:
        return []
    return list(
        PendingUpload.objects.filter(owner=user, pk__in=wanted).order_by("created_at", "id")
    )

"""The result page's parts that cost: each area's section (every plan with its explanation in
words, the charts drawn as SVG with their tables, the ballots file) rendered once per language,
per "may manage" and per count, and kept in the cache under the count's time (so a recount shows
at once). The page reads them in one cache query (`area_sections`); the count renders the
site language's public sections as soon as it is committed (`warm`), so that no visitor waits.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from wijkwerk.core.money import format_money

from . import result_selectors
from .models import AreaResult, BallotType, BudgetProcess, Channel
from .services import results as counting

log = logging.getLogger(__name__)

# --- Charts ---------------------------------------------------------------------------------

# A phone's width in user units, so that its 14 px text stays about 14 px from 320 px wide up
# (the chart is at most 24rem wide).
CHART_WIDTH = 320
LABEL_HEIGHT = 20
BAR_HEIGHT = 14
ROW_HEIGHT = 44
BAR_SPACE = 200  # the longest bar; its value is written after it


def bar_chart(rows: list[tuple[str, int, str]], *, highlight: set[int] | None = None) -> dict:
    """A horizontal bar chart's geometry: each row (label, value, value in words) as a label
    above a bar proportional to its value; `highlight`: indices drawn in the accent colour."""
    top = max((value for _label, value, _text in rows), default=0) or 1
    bars = []
    for i, (label, value, text) in enumerate(rows):
        y = i * ROW_HEIGHT
        width = round(BAR_SPACE * value / top, 1)
        bars.append(
            {
                "label": label,
                "text": text,
                "label_y": y + 15,
                "bar_y": y + LABEL_HEIGHT + 2,
                "width": width,
                "value_x": width + 6,
                "value_y": y + LABEL_HEIGHT + 2 + BAR_HEIGHT - 2,
                "accent": highlight is not None and i in highlight,
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": max(len(rows), 1) * ROW_HEIGHT,
        "bar_height": BAR_HEIGHT,
        "bars": bars,
    }


def number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _age_label(band: str) -> str:
    if not band:
        return _("age not known")
    if band.endswith("+"):
        return _("%(age)s years and older") % {"age": band[:-1]}
    low, _sep, high = band.partition("-")
    return _("%(low)s to %(high)s years") % {"low": low, "high": high}


def area_summary(process: BudgetProcess, result: AreaResult) -> dict[str, Any]:
    """What the page's top shows of an area: the figures only (cheap; no words)."""
    figures = result.figures
    funded = [{**p, "anchor": slugify(p["project_id"])} for p in figures["plans"] if p["funded"]]
    return {
        "result": result,
        "area": result.area,
        "funded": funded,
        "budget_cents": figures["budget_cents"],
        "spent_cents": figures["spent_cents"],
        "left_cents": figures["budget_cents"] - figures["spent_cents"],
        "voters": figures["voters"],
    }


def _channel_label(channel: str, n: int) -> str:
    if channel == Channel.PAPER:
        return ngettext("%(n)s ballot on paper", "%(n)s ballots on paper", n) % {"n": number(n)}
    if channel == Channel.IMPORTED:
        return ngettext("%(n)s ballot imported", "%(n)s ballots imported", n) % {"n": number(n)}
    return ngettext("%(n)s ballot online", "%(n)s ballots online", n) % {"n": number(n)}


def channel_details(figures: dict[str, Any]) -> dict[str, Any]:
    """The ballots per channel in words, and the weights of the count in words (from the
    figures the count stored: `services.results.channel_figures`)."""
    channels = figures.get("channels") or []
    weights = figures.get("weights")
    words = ""
    if weights:
        words = _(
            "Paper ballots together count for %(paper_share)s%%, online ballots for "
            "%(online_share)s%%: a paper ballot weighs %(paper)s, an online ballot %(online)s."
        ) % {
            "paper_share": weights["paper_share"],
            "online_share": 100 - weights["paper_share"],
            "paper": number(weights["paper"]),
            "online": number(weights["online"]),
        }
    return {
        "channels": [_channel_label(c["channel"], c["ballots"]) for c in channels],
        "weighted": bool(weights),
        "weights_text": words,
        "paper_share_unused": bool(figures.get("paper_share_unused")),
    }


def area_details(process: BudgetProcess, result: AreaResult) -> dict[str, Any]:
    """An area's section: every plan with its explanation in words, the charts and their
    tables, the ballots file (rendered once per language and recount: `_area_section`)."""
    figures = result.figures
    outcome = {p["project_id"]: p for p in result.outcome["projects"]}
    points = process.ballot_type == BallotType.CUMULATIVE
    funding = figures.get("funding", {})
    score = "score" if points else "votes"
    titles = result_selectors.titles_of(result)
    channels = channel_details(figures)
    weighted = channels["weighted"]
    plans = []
    for item in figures["plans"]:
        project = outcome[item["project_id"]]
        funded_as = funding.get(item["project_id"]) or {}
        initiative = funded_as.get("initiative")
        plans.append(
            {
                **item,
                "anchor": slugify(item["project_id"]),
                "url": reverse("budgeting:plan_detail", kwargs={"pk": item["plan"]}),
                "count_text": number(item[score]),
                # with weights: the plan's ballots, unweighted
                "ballots_text": ngettext("%(n)s ballot", "%(n)s ballots", item["ballots"])
                % {"n": number(item["ballots"])}
                if weighted and "ballots" in item
                else "",
                "cost_text": format_money(item["cost_cents"]),
                "explanation": result_selectors.explanation(project, titles),
                "initiative_url": reverse("initiatives:detail", kwargs={"pk": initiative})
                if initiative
                else "",
                "problem": funded_as.get("problem", ""),
            }
        )
    unit = _("points") if points else _("votes")
    votes_chart = bar_chart(
        # weighted: the figure alone (the caption says "weighted votes"; the words would not fit
        # beside the longest bar at 320 px)
        [
            (p["title"], p[score], number(p[score]) if weighted else f"{number(p[score])} {unit}")
            for p in plans
        ],
        highlight={i for i, p in enumerate(plans) if p["funded"]},
    )
    categories = [
        (name or _("no category"), cents) for name, cents in figures.get("categories", [])
    ]
    money_chart = bar_chart([(name, cents, format_money(cents)) for name, cents in categories])
    turnout = [(_age_label(band), n) for band, n in figures.get("turnout", [])]
    turnout_chart = bar_chart([(label, n, number(n)) for label, n in turnout])
    filename = counting.pb_filename(process, result.area)
    return {
        **area_summary(process, result),
        "plans": plans,
        "votes_chart": votes_chart,
        "categories": categories,
        "money_chart": money_chart,
        "turnout": turnout,
        "turnout_total": sum(n for _label, n in turnout),
        "turnout_chart": turnout_chart,
        "filename": filename,
        "command": counting.recount_command(process, filename),
        **channels,
    }


# A rendered area section is kept until the area is counted again (its key holds the count's
# time), per language and for managers (who see why a funded plan is not paid yet) apart.
SECTION_SECONDS = 7 * 24 * 3600


def _section_key(result: AreaResult, language: str, may_manage: bool) -> str:
    stamp = int(result.counted_at.timestamp() * 1_000_000)
    return f"budgeting:result-area:{result.pk}:{stamp}:{language}:{int(may_manage)}"


def area_sections(
    process: BudgetProcess, results: list[AreaResult], may_manage: bool
) -> list[SafeString]:
    """Each area's section as HTML: from the cache (one read for all), else rendered and kept."""
    language = get_language()
    keys = [_section_key(result, language, may_manage) for result in results]
    kept = cache.get_many(keys) if keys else {}
    sections = []
    for key, result in zip(keys, results, strict=True):
        html = kept.get(key)
        if html is None:
            html = render_to_string(
                "budgeting/results/_area.html",
                {
                    "item": area_details(process, result),
                    "process": process,
                    "is_points": process.ballot_type == BallotType.CUMULATIVE,
                    "may_manage": may_manage,
                },
            )
            cache.set(key, html, SECTION_SECONDS)
        sections.append(html)  # a SafeString, as rendered (the cache keeps its class)
    return sections


def warm(process_id: int) -> None:
    """Render the public sections of a counted round in the site's language (after the count
    commits; a failure here leaves the page to render them itself)."""
    try:
        process = BudgetProcess.objects.select_related("municipality").get(pk=process_id)
        with translation.override(settings.LANGUAGE_CODE):
            area_sections(process, result_selectors.page_results(process), False)
    except Exception:  # the count is kept whatever happens here
        log.exception("rendering the result page of round %s", process_id)

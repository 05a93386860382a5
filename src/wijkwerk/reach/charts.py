"""The reach-over-time chart: one bar per quarter, as SVG geometry for the template. The data
table beside it is the truth; the chart shows the same figures."""

from __future__ import annotations

from dataclasses import dataclass

from .selectors import ReachPoint

WIDTH = 640
HEIGHT = 260
TOP = 20
BOTTOM = 52  # room for the quarter labels (two lines)
LEFT = 10


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    label: str  # "K3"
    year: str  # "2026", on the line under it
    label_x: int
    text: str  # the figure, or "<5"
    text_y: int
    suppressed: bool


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: int
    bars: list[Bar]


def bar_chart(points: list[ReachPoint], suppressed_text: str) -> Chart:
    values = [p.total.value or 0 for p in points]
    top = max([*values, 1])
    usable = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - 2 * LEFT) // max(len(points), 1)
    width = max(slot - 12, 8)
    bars = []
    for index, point in enumerate(points):
        value = point.total.value or 0
        height = round(usable * value / top)
        x = LEFT + index * slot + (slot - width) // 2
        y = TOP + usable - height
        bars.append(
            Bar(
                x=x,
                y=y,
                width=width,
                height=height,
                label=f"K{point.quarter.number}",
                year=str(point.quarter.year),
                label_x=x + width // 2,
                text=suppressed_text if point.total.suppressed else f"{value:,}".replace(",", "."),
                text_y=max(y - 6, 12),
                suppressed=point.total.suppressed,
            )
        )
    return Chart(WIDTH, HEIGHT, TOP + usable, bars)

"""Pictures of the demo's good examples, drawn at load time with Pillow (no photos copied from
elsewhere): simple, recognisable scenes, the same every time (a fixed seed per picture).

`picture(kind)` returns a JPEG of 960 × 640 pixels; `KINDS` lists the scenes the data file may
name.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 960, 640
HORIZON = 380

Draw = ImageDraw.ImageDraw


def _sky(draw: Draw, top: tuple[int, int, int], bottom: tuple[int, int, int]) -> None:
    for y in range(HORIZON):
        t = y / HORIZON
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (WIDTH, y)], fill=colour)


def _ground(draw: Draw, colour: tuple[int, int, int]) -> None:
    draw.rectangle([0, HORIZON, WIDTH, HEIGHT], fill=colour)


def _tree(draw: Draw, x: int, base: int, size: int, leaves: tuple[int, int, int]) -> None:
    draw.rectangle([x - size // 10, base - size, x + size // 10, base], fill=(110, 78, 48))
    r = size // 2
    for dx, dy in ((-r // 2, -size), (r // 2, -size), (0, -size - r // 2)):
        draw.ellipse([x + dx - r, base + dy - r, x + dx + r, base + dy + r], fill=leaves)


def _houses(draw: Draw, rng: random.Random) -> None:
    x = -20
    while x < WIDTH:
        w = rng.randint(110, 160)
        h = rng.randint(120, 170)
        brick = rng.choice([(150, 72, 52), (170, 96, 70), (128, 60, 45), (196, 160, 120)])
        draw.rectangle([x, HORIZON - h, x + w, HORIZON], fill=brick)
        draw.polygon(
            [(x - 8, HORIZON - h), (x + w // 2, HORIZON - h - 60), (x + w + 8, HORIZON - h)],
            fill=(70, 60, 62),
        )
        for wx in (x + 18, x + w - 48):
            draw.rectangle([wx, HORIZON - h + 30, wx + 30, HORIZON - h + 70], fill=(210, 228, 240))
        draw.rectangle([x + w // 2 - 14, HORIZON - 60, x + w // 2 + 14, HORIZON], fill=(60, 80, 70))
        x += w + rng.randint(4, 20)


def _person(draw: Draw, x: int, y: int, scale: float, colour: tuple[int, int, int]) -> None:
    head = round(10 * scale)
    body = round(36 * scale)
    draw.ellipse([x - head, y - body - 2 * head, x + head, y - body], fill=(224, 182, 150))
    draw.rounded_rectangle(
        [x - round(12 * scale), y - body, x + round(12 * scale), y], radius=6, fill=colour
    )


def _people(draw: Draw, rng: random.Random, count: int, y_min: int, y_max: int) -> None:
    spots = sorted((rng.randint(y_min, y_max), rng.randint(20, WIDTH - 20)) for _ in range(count))
    for y, x in spots:
        colour = rng.choice([(200, 40, 60), (40, 90, 170), (240, 170, 30), (60, 140, 80)])
        _person(draw, x, y, 0.8 + (y - HORIZON) / 200, colour)


def _boules(draw: Draw, rng: random.Random) -> None:
    _sky(draw, (120, 170, 225), (205, 225, 240))
    _ground(draw, (104, 156, 74))
    for x in range(60, WIDTH, 170):
        _tree(draw, x, HORIZON + 10, 120, (58, 118, 58))
    draw.polygon([(120, 600), (840, 600), (700, 430), (260, 430)], fill=(214, 196, 160))
    draw.polygon([(120, 600), (840, 600), (700, 430), (260, 430)], outline=(150, 110, 70), width=6)
    for _ in range(6):
        x, y = rng.randint(300, 660), rng.randint(450, 580)
        draw.ellipse([x - 9, y - 9, x + 9, y + 9], fill=(150, 150, 160))
    draw.ellipse([480, 500, 490, 510], fill=(230, 70, 40))
    _people(draw, rng, 5, 450, 620)


def _picnic(draw: Draw, rng: random.Random) -> None:
    _sky(draw, (130, 180, 230), (215, 232, 245))
    _ground(draw, (96, 150, 70))
    _houses(draw, rng)
    for x in (220, 640):
        draw.rectangle([x - 130, 470, x + 130, 490], fill=(150, 100, 60))
        draw.rectangle([x - 150, 520, x + 150, 534], fill=(140, 92, 55))
        for leg in (x - 110, x + 100):
            draw.rectangle([leg, 490, leg + 12, 580], fill=(120, 80, 48))
    _people(draw, rng, 6, 480, 630)


def _garden(draw: Draw, rng: random.Random) -> None:
    _sky(draw, (150, 190, 230), (220, 235, 245))
    _houses(draw, rng)
    draw.rectangle([0, HORIZON, WIDTH, HEIGHT], fill=(170, 170, 165))
    draw.rectangle([0, HORIZON, WIDTH, HORIZON + 60], fill=(110, 80, 50))
    for x in range(10, WIDTH, 14):
        stem = HORIZON + rng.randint(5, 40)
        draw.line([(x, HORIZON + 55), (x, stem)], fill=(60, 130, 60), width=3)
        colour = rng.choice([(220, 60, 90), (250, 200, 40), (150, 90, 200), (250, 250, 250)])
        draw.ellipse([x - 7, stem - 7, x + 7, stem + 7], fill=colour)
    _people(draw, rng, 3, 520, 620)


def _market(draw: Draw, rng: random.Random) -> None:
    _sky(draw, (20, 30, 70), (60, 70, 120))
    _ground(draw, (90, 90, 100))
    _houses(draw, rng)
    for x in range(40, WIDTH, 190):
        stripe = rng.choice([(200, 30, 40), (30, 110, 60)])
        draw.rectangle([x, HORIZON - 10, x + 150, HORIZON + 90], fill=(160, 120, 80))
        for s in range(0, 150, 30):
            draw.rectangle([x + s, HORIZON - 40, x + s + 15, HORIZON - 10], fill=stripe)
            draw.rectangle(
                [x + s + 15, HORIZON - 40, x + s + 30, HORIZON - 10], fill=(250, 250, 240)
            )
    for x in range(0, WIDTH, 36):
        draw.ellipse([x, 230 + (x % 72) // 6, x + 10, 240 + (x % 72) // 6], fill=(255, 220, 120))
    _tree(draw, 880, 600, 160, (30, 90, 50))
    _people(draw, rng, 9, 500, 630)


def _party(draw: Draw, rng: random.Random, evening: bool = False) -> None:
    if evening:
        _sky(draw, (60, 50, 110), (240, 140, 90))
    else:
        _sky(draw, (110, 170, 230), (210, 230, 245))
    _houses(draw, rng)
    _ground(draw, (120, 120, 125))
    for row, y in enumerate((120, 170)):
        draw.line([(0, y), (WIDTH, y + 30)], fill=(80, 80, 80), width=2)
        for x in range(10 + row * 20, WIDTH, 40):
            colour = rng.choice([(230, 50, 50), (250, 200, 30), (40, 120, 220), (60, 170, 90)])
            yy = y + x * 30 // WIDTH
            draw.polygon([(x, yy), (x + 24, yy), (x + 12, yy + 30)], fill=colour)
    draw.rounded_rectangle([60, 420, 300, 560], radius=30, fill=(240, 80, 120))
    draw.rounded_rectangle([90, 380, 270, 430], radius=20, fill=(250, 200, 60))
    draw.rectangle([560, 470, 900, 490], fill=(245, 245, 240))
    for x in range(580, 900, 60):
        draw.ellipse([x, 450, x + 36, 476], fill=rng.choice([(230, 140, 60), (120, 170, 80)]))
    _people(draw, rng, 12, 470, 630)


def _trees(draw: Draw, rng: random.Random) -> None:
    _sky(draw, (140, 185, 230), (215, 232, 245))
    _houses(draw, rng)
    _ground(draw, (150, 150, 150))
    for x in range(90, WIDTH, 220):
        draw.ellipse([x - 80, 540, x + 80, 600], fill=(95, 70, 50))
        for _ in range(40):
            px, py = rng.randint(x - 70, x + 70), rng.randint(545, 595)
            colour = rng.choice([(250, 220, 40), (160, 80, 200), (250, 250, 250), (60, 150, 60)])
            draw.ellipse([px - 5, py - 5, px + 5, py + 5], fill=colour)
        _tree(draw, x, 570, 190, (70, 140, 60))
    _people(draw, rng, 4, 560, 630)


SCENES: dict[str, Callable[[Draw, random.Random], None]] = {
    "boules": _boules,
    "picnic": _picnic,
    "garden": _garden,
    "market": _market,
    "party": _party,
    "party-evening": lambda draw, rng: _party(draw, rng, evening=True),
    "trees": _trees,
}
KINDS = frozenset(SCENES)
# The name each picture is uploaded under (the page shows it, and the alt text says it).
FILE_NAMES = {
    "boules": "jeu-de-boulesbaan.jpg",
    "picnic": "picknicktafels.jpg",
    "garden": "geveltuinen.jpg",
    "market": "dorpsmarkt.jpg",
    "party": "straatfeest.jpg",
    "party-evening": "straatfeest-s-avonds.jpg",
    "trees": "boomspiegels.jpg",
}


def picture(kind: str) -> bytes:
    """The scene `kind` as a JPEG, identical on every call."""
    image = Image.new("RGB", (WIDTH, HEIGHT))
    SCENES[kind](ImageDraw.Draw(image), random.Random(kind))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=82, optimize=True)
    return out.getvalue()

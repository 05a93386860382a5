"""The demo's news (issue 14): in Oosterhout the wijkmakelaar of the villages writes Dorst's
news and the chair of Dorpsraad Dorst the council's, with a draft waiting; in Oss the
coordinator of the villages writes Lith's news and the chair of Dorpsraad Lith the council's.
Through the news services with the demo's mail kept quiet; loading again changes nothing."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from wijkwerk.areas.models import Area, AreaCouncil
from wijkwerk.core import notifications
from wijkwerk.news import services
from wijkwerk.news.models import NewsPost

# Posts with a picture (drawn here: the demo has no photos of its own) and its description.
PICTURES = {
    "Spreekuur van de wijkmakelaar in De Wis": "Tekening van een dorpshuis met open deur onder "
    "een blauwe lucht",
    "Leefbaarheidsbudget: dien je plan in": "Tekening van een dorpsplein met bomen en een bankje",
}


def _drawing(seed: int) -> bytes:
    """A simple drawn picture (1200 by 675): sky, grass, a house or trees."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 675), (150, 200, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 470, 1200, 675), fill=(95, 160, 80))
    if seed == 0:
        draw.rectangle((420, 260, 780, 500), fill=(190, 90, 60))
        draw.polygon([(390, 270), (600, 120), (810, 270)], fill=(120, 50, 40))
        draw.rectangle((560, 380, 640, 500), fill=(250, 230, 180))
    else:
        for x in (200, 520, 900):
            draw.rectangle((x + 35, 330, x + 65, 500), fill=(110, 75, 45))
            draw.ellipse((x - 40, 190, x + 140, 370), fill=(60, 130, 60))
        draw.rectangle((640, 440, 820, 460), fill=(120, 80, 50))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


OOSTERHOUT = "GM0826"
OSS = "GM0828"

# (municipality, area slug, writer, council name or "", title, lead, body, publish)
POSTS = (
    (
        OOSTERHOUT,
        "dorst",
        "makelaar.dorpen@oosterhout.example",
        "",
        "Spreekuur van de wijkmakelaar in De Wis",
        "Vanaf januari zit de wijkmakelaar elke dinsdagochtend in De Wis.",
        "Heb je een idee voor het dorp, of wil je weten hoe je een bewonersinitiatief "
        "aanvraagt? Loop binnen tussen 9:30 en 11:30 uur.\n\n"
        "Je hoeft geen afspraak te maken. Koffie staat klaar.",
        True,
    ),
    (
        OOSTERHOUT,
        "dorst",
        "henk.vangils@oosterhout.example",
        "Dorpsraad Dorst",
        "Dorpsraad zoekt nieuwe leden",
        "Wil je meedenken over verkeer, groen en activiteiten in Dorst? Kom erbij.",
        "De dorpsraad vergadert zes keer per jaar in De Wis. We zoeken vooral jongere "
        "dorpsgenoten en mensen uit Dorst-Zuid.\n\n"
        "Kom eens kijken op de volgende dorpsavond of spreek een van de leden aan.",
        True,
    ),
    (
        OOSTERHOUT,
        "dorst",
        "wijkwerker@oosterhout.example",
        "",
        "Burenhulp in de winter",
        "Wie doet een boodschap voor een buurvrouw die slecht ter been is?",
        "Concept: nog aanvullen met het telefoonnummer van de burenhulpcentrale.",
        False,
    ),
    (
        OSS,
        "lith",
        "coordinator.dorpen@oss.example",
        "",
        "Kernendag Lith: praat mee over je dorp",
        "Op zaterdag 14 maart hoort de gemeente graag wat er speelt in Lith, Oijen en "
        "Maren-Kessel.",
        "Van 10:00 tot 13:00 uur in het dorpshuis. De wijkcoördinator en de wethouder zijn er, "
        "net als de dorpsraad.\n\n"
        "Neem je buren mee!",
        True,
    ),
    (
        OSS,
        "lith",
        "ad.vanhoek@oss.example",
        "Dorpsraad Lith",
        "Leefbaarheidsbudget: dien je plan in",
        "De dorpsraad verdeelt dit jaar weer het leefbaarheidsbudget voor Lith.",
        "Heb je een plan dat het dorp mooier, groener of gezelliger maakt? Dien het in via "
        "wijkwerk; de dorpsraad beslist in een openbare vergadering.",
        True,
    ),
)


@dataclass
class Summary:
    posts: int = 0
    published: int = 0


def load_demo_news() -> Summary:
    summary = Summary()
    people = {
        person.email: person
        for person in get_user_model()._default_manager.filter(email__in={row[2] for row in POSTS})
    }
    with notifications.quiet(), transaction.atomic():
        for code, slug, email, council_name, title, lead, body, publish in POSTS:
            area = Area.objects.filter(municipality__cbs_code=code, slug=slug).first()
            writer = people.get(email)
            if area is None or writer is None:
                continue
            if NewsPost.objects.filter(area=area, title=title).exists():
                continue
            council = (
                AreaCouncil.objects.filter(area=area, name=council_name).first()
                if council_name
                else None
            )
            if council_name and council is None:
                continue
            picture = None
            if title in PICTURES:
                from django.core.files.uploadedfile import SimpleUploadedFile

                content = _drawing(list(PICTURES).index(title))
                picture = services.PictureChange(
                    upload=SimpleUploadedFile("tekening.jpg", content, "image/jpeg"),
                    alt=PICTURES[title],
                )
            post = services.post_create(
                actor=writer,
                area=area,
                council=council,
                title=title,
                lead=lead,
                body=body,
                picture=picture,
            )
            summary.posts += 1
            if publish:
                services.post_publish(actor=writer, post=post)
                summary.published += 1
    return summary

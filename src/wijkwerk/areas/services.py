"""Writes to areas, area councils, resident groups and their memberships.

Every write runs in one transaction, checks the actor's permission and records an audit event with
the state before and after. The validation functions at the top are plain functions so that the
back-office forms and the import command apply the same rules.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import AREA_CODE_PATTERNS, AreaKind

# The Netherlands lies well inside this box (WGS84, longitude then latitude as GeoJSON orders
# them); a coordinate outside it is almost always swapped axes or RD (EPSG:28992) metres.
NL_LONGITUDE = (2.0, 8.0)
NL_LATITUDE = (50.0, 54.5)
MAX_BOUNDARY_POINTS = 50_000
GEOMETRY_TYPES = ("Polygon", "MultiPolygon")


def validate_area_code(kind: str, code: str, *, municipality_code: str | None = None) -> str:
    """The CBS code, upper-cased, if it has the form CBS uses for this kind of area.

    With `municipality_code` (GMnnnn) the code's first four digits must repeat the municipality's
    number, as they do in every CBS edition. Raises ValidationError with a message that says which
    form was expected.
    """
    try:
        area_kind = AreaKind(kind)
    except ValueError:
        raise ValidationError(
            _("Unknown kind of area: %(kind)s.") % {"kind": kind}, code="kind"
        ) from None
    normalised = (code or "").strip().upper()
    if not re.fullmatch(AREA_CODE_PATTERNS[area_kind], normalised):
        example = "BU08260101" if area_kind == AreaKind.NEIGHBOURHOOD else "WK082601"
        raise ValidationError(
            _(
                "A CBS code for a %(kind)s looks like %(example)s: two letters and "
                "%(digits)d digits."
            )
            % {
                "kind": area_kind.label,
                "example": example,
                "digits": 8 if area_kind == AreaKind.NEIGHBOURHOOD else 6,
            },
            code="cbs_code",
        )
    if municipality_code and normalised[2:6] != municipality_code[2:6]:
        raise ValidationError(
            _("The CBS code %(code)s does not start with the municipality's number %(number)s.")
            % {"code": normalised, "number": municipality_code[2:6]},
            code="cbs_code",
        )
    return normalised


def _check_position(position: Any, where: str) -> int:
    if not isinstance(position, list) or len(position) < 2:
        raise ValidationError(
            _("%(where)s: a position must be a list [longitude, latitude].") % {"where": where},
            code="boundary",
        )
    lon, lat = position[0], position[1]
    for value in (lon, lat):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValidationError(
                _("%(where)s: coordinates must be numbers.") % {"where": where}, code="boundary"
            )
        if not math.isfinite(value):
            raise ValidationError(
                _("%(where)s: coordinates must be finite numbers.") % {"where": where},
                code="boundary",
            )
    if not (NL_LONGITUDE[0] <= lon <= NL_LONGITUDE[1] and NL_LATITUDE[0] <= lat <= NL_LATITUDE[1]):
        raise ValidationError(
            _(
                "%(where)s: the point (%(lon)s, %(lat)s) does not lie in the Netherlands. "
                "Use WGS84 degrees in the order longitude, latitude."
            )
            % {"where": where, "lon": lon, "lat": lat},
            code="boundary",
        )
    return 1


def _check_ring(ring: Any, where: str) -> int:
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValidationError(
            _("%(where)s: a ring needs at least four positions.") % {"where": where},
            code="boundary",
        )
    points = sum(
        _check_position(position, f"{where}, {_('point')} {i + 1}")
        for i, position in enumerate(ring)
    )
    if ring[0][:2] != ring[-1][:2]:
        raise ValidationError(
            _("%(where)s: a ring must end at the point where it starts.") % {"where": where},
            code="boundary",
        )
    return points


def _check_polygon(rings: Any, where: str) -> int:
    if not isinstance(rings, list) or not rings:
        raise ValidationError(
            _("%(where)s: a polygon needs at least one ring.") % {"where": where},
            code="boundary",
        )
    return sum(_check_ring(ring, f"{where}, {_('ring')} {i + 1}") for i, ring in enumerate(rings))


def validate_boundary(data: Any) -> dict[str, Any]:
    """A GeoJSON Polygon or MultiPolygon geometry from text, bytes or already-parsed JSON.

    Accepts a bare geometry or a Feature holding one, and returns the geometry as a dict (the form
    `Area.boundary` stores). Raises ValidationError with a message that names what is wrong and
    where, so that an official can fix the file.
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(
                _("The boundary file is not UTF-8 text."), code="boundary"
            ) from None
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as error:
            raise ValidationError(
                _("The boundary is not valid JSON (line %(line)d, column %(column)d: %(msg)s).")
                % {"line": error.lineno, "column": error.colno, "msg": error.msg},
                code="boundary",
            ) from None
    if not isinstance(data, dict):
        raise ValidationError(
            _("The boundary must be a GeoJSON object, not a list or a single value."),
            code="boundary",
        )
    if data.get("type") == "FeatureCollection":
        raise ValidationError(
            _("The boundary is a FeatureCollection; give one Feature or one geometry."),
            code="boundary",
        )
    if data.get("type") == "Feature":
        data = data.get("geometry")
        if not isinstance(data, dict):
            raise ValidationError(_("The Feature has no geometry."), code="boundary")
    geometry_type = data.get("type")
    if geometry_type not in GEOMETRY_TYPES:
        raise ValidationError(
            _("The geometry must be a Polygon or MultiPolygon, not %(type)s.")
            % {"type": json.dumps(geometry_type)},
            code="boundary",
        )
    coordinates = data.get("coordinates")
    if geometry_type == "Polygon":
        points = _check_polygon(coordinates, _("Polygon"))
    else:
        if not isinstance(coordinates, list) or not coordinates:
            raise ValidationError(_("A MultiPolygon needs at least one polygon."), code="boundary")
        points = sum(
            _check_polygon(polygon, f"{_('Polygon')} {i + 1}")
            for i, polygon in enumerate(coordinates)
        )
    if points > MAX_BOUNDARY_POINTS:
        raise ValidationError(
            _("The boundary has %(points)d points; simplify it to at most %(max)d.")
            % {"points": points, "max": MAX_BOUNDARY_POINTS},
            code="boundary",
        )
    return {"type": geometry_type, "coordinates": coordinates}

"""Writes to areas, area councils, resident groups and their memberships.

Every write runs in one transaction, checks the actor's permission and records an audit event with
the state before and after. The validation functions at the top are plain functions so that the
back-office forms and the import command apply the same rules.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wijkwerk.core.audit import record, snapshot

from .audit_actions import AreaAction
from .models import (
    AREA_CODE_PATTERNS,
    Area,
    AreaCouncil,
    AreaKind,
    Municipality,
    ResidentGroup,
)

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
        except RecursionError:
            raise ValidationError(
                _("The boundary is nested too deeply."), code="boundary"
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


def validate_name(name: str, *, max_length: int) -> str:
    """A trimmed display name without markup characters.

    Names end up in e-mails, exports and map labels as well as in escaped HTML; refusing `<` and
    `>` keeps them plain text everywhere instead of trusting every consumer to escape.
    """
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise ValidationError(_("Give a name."), code="required")
    if len(cleaned) > max_length:
        raise ValidationError(
            _("A name can be at most %(max)d characters (this one has %(length)d).")
            % {"max": max_length, "length": len(cleaned)},
            code="max_length",
        )
    if "<" in cleaned or ">" in cleaned:
        raise ValidationError(_("A name cannot contain < or >."), code="markup")
    return cleaned


def boundary_summary(boundary: dict[str, Any] | None) -> str | None:
    """A short, comparable stand-in for a boundary in the audit log (the full GeoJSON is large)."""
    if not boundary:
        return None
    encoded = json.dumps(boundary, sort_keys=True, separators=(",", ":")).encode()
    polygons = (
        [boundary.get("coordinates")]
        if boundary.get("type") == "Polygon"
        else boundary.get("coordinates") or []
    )
    points = sum(len(ring) for polygon in polygons for ring in polygon or [])
    digest = hashlib.sha256(encoded).hexdigest()[:12]
    return f"{boundary.get('type')}, {points} points, sha256 {digest}"


# ----- Areas -------------------------------------------------------------------------------------

AREA_FIELDS = (
    "kind",
    "parent",
    "name",
    "slug",
    "cbs_code",
    "cbs_year",
    "code_is_demo",
    "description",
    "boundary",
)


def area_audit_state(area: Area) -> dict[str, Any]:
    """An area as the audit log keeps it, for every writer of areas (back office and import)."""
    state = snapshot(area, [f for f in AREA_FIELDS if f != "boundary"] + ["municipality"])
    state["boundary"] = boundary_summary(area.boundary)
    return state


def _require(actor: Any, permission: str, obj: Any) -> None:
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(_("You may not change this."))


def _validate_area(area: Area) -> None:
    """Every rule an area must satisfy, collected per field so a form can show them all."""
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, error: ValidationError) -> None:
        errors.setdefault(field, []).append(error)

    try:
        area.name = validate_name(area.name, max_length=Area._meta.get_field("name").max_length)  # type: ignore[arg-type]
    except ValidationError as error:
        add("name", error)
    area.slug = (area.slug or "").strip().lower()
    if not area.slug:
        area.slug = slugify(area.name)[:140]
    if not re.fullmatch(r"[-a-z0-9_]+", area.slug or ""):
        add("slug", ValidationError(_("A slug has only lower-case letters, digits and hyphens.")))
    elif (
        Area.objects.filter(municipality_id=area.municipality_id, slug=area.slug)
        .exclude(pk=area.pk)
        .exists()
    ):
        add("slug", ValidationError(_("Another area of this municipality has this slug.")))
    try:
        area.cbs_code = validate_area_code(
            area.kind, area.cbs_code, municipality_code=area.municipality.cbs_code
        )
    except ValidationError as error:
        add("cbs_code" if error.code == "cbs_code" else "kind", error)
    else:
        if Area.objects.filter(cbs_code=area.cbs_code).exclude(pk=area.pk).exists():
            add("cbs_code", ValidationError(_("Another area already has this CBS code.")))
    if area.cbs_year is not None and not (1990 <= area.cbs_year <= 2100):
        add("cbs_year", ValidationError(_("Give the year of the CBS edition, e.g. 2020.")))
    if area.kind == AreaKind.NEIGHBOURHOOD:
        parent = area.parent
        if parent is None:
            add("parent", ValidationError(_("A neighbourhood lies inside a district or village.")))
        elif parent.municipality_id != area.municipality_id:
            add("parent", ValidationError(_("The parent area belongs to another municipality.")))
        elif parent.kind == AreaKind.NEIGHBOURHOOD or parent.pk == area.pk:
            add("parent", ValidationError(_("Choose a district or village as the parent.")))
    elif area.parent_id is not None:
        add(
            "parent",
            ValidationError(_("Districts and villages lie directly under the municipality.")),
        )
    if area.pk and area.kind == AreaKind.NEIGHBOURHOOD and area.children.exists():
        add(
            "kind",
            ValidationError(_("This area has neighbourhoods inside it; it cannot become one.")),
        )
    if area.boundary is not None:
        try:
            area.boundary = validate_boundary(area.boundary)
        except ValidationError as error:
            add("boundary", error)
    if errors:
        raise ValidationError(errors)


def _save_area(area: Area) -> None:
    try:
        with transaction.atomic():
            area.save()
    except IntegrityError:
        # Two admins saving the same code or slug at once: the database has the last word.
        raise ValidationError(
            _("Another area with this CBS code or slug was saved just now; check and try again.")
        ) from None


MUNICIPALITY_FIELDS = ("name", "slug", "cbs_code", "description", "website", "contact_email")


@transaction.atomic
def municipality_create(*, actor: Any, **fields: Any) -> Municipality:
    """A new municipality (the tenant); only the platform itself (import, demo) or a superuser."""
    if not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("You may not add a municipality."))
    municipality = Municipality()
    _set_fields(municipality, MUNICIPALITY_FIELDS, fields, "municipality_create()")
    municipality.full_clean()
    municipality.save()
    record(
        actor=actor,
        action=AreaAction.MUNICIPALITY_CREATE,
        instance=municipality,
        after={**snapshot(municipality, MUNICIPALITY_FIELDS), "municipality": municipality.pk},
    )
    return municipality


@transaction.atomic
def municipality_update(*, actor: Any, municipality: Municipality, **fields: Any) -> Municipality:
    _require(actor, "areas.manage_municipality", municipality)
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    before = snapshot(municipality, MUNICIPALITY_FIELDS)
    _set_fields(municipality, MUNICIPALITY_FIELDS, fields, "municipality_update()")
    municipality.full_clean()
    after = snapshot(municipality, MUNICIPALITY_FIELDS)
    if after != before:
        municipality.save()
        record(
            actor=actor,
            action=AreaAction.MUNICIPALITY_UPDATE,
            instance=municipality,
            before=before,
            after=after,
        )
    return municipality


@transaction.atomic
def area_create(*, actor: Any, municipality: Municipality, **fields: Any) -> Area:
    """A new area in the municipality; `fields` are the names in AREA_FIELDS."""
    _require(actor, "areas.manage_municipality", municipality)
    unknown = set(fields) - set(AREA_FIELDS)
    if unknown:
        raise TypeError(f"area_create() got unknown fields {sorted(unknown)}")
    area = Area(municipality=municipality, **fields)
    _validate_area(area)
    _save_area(area)
    record(actor=actor, action=AreaAction.AREA_CREATE, instance=area, after=area_audit_state(area))
    return area


@transaction.atomic
def area_update(*, actor: Any, area: Area, **fields: Any) -> Area:
    _require(actor, "areas.manage_area", area)
    unknown = set(fields) - set(AREA_FIELDS)
    if unknown:
        raise TypeError(f"area_update() got unknown fields {sorted(unknown)}")
    area = Area.objects.select_for_update().select_related("municipality").get(pk=area.pk)
    before = area_audit_state(area)
    for name, value in fields.items():
        setattr(area, name, value)
    _validate_area(area)
    after = area_audit_state(area)
    if after != before:
        _save_area(area)
        record(
            actor=actor, action=AreaAction.AREA_UPDATE, instance=area, before=before, after=after
        )
    return area


# ----- Area councils and resident groups ---------------------------------------------------------

COUNCIL_FIELDS = ("area", "kind", "name", "description", "contact_email", "website")
GROUP_FIELDS = ("area", "name", "description", "interest", "contact_email", "join_policy")


def _scoped_state(instance: Any, fields: tuple[str, ...], area: Area) -> dict[str, Any]:
    """A snapshot with the municipality added, so the audit log can be filtered by it."""
    return {**snapshot(instance, fields), "municipality": area.municipality_id}


def group_name_taken(area: Area, name: str, *, exclude: int | None = None) -> bool:
    """Whether a living group of `area` has this name already, whatever its capitals (the
    database refuses it too: `group_name_unique_in_area`)."""
    found = ResidentGroup.objects.filter(
        area=area, name__iexact=name.strip(), dissolved_at__isnull=True
    )
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return found.exists()


def group_name_error(name: str, area: Area) -> ValidationError:
    return ValidationError(
        _("There is already a group called “%(name)s” in %(area)s. Choose another name.")
        % {"name": name.strip(), "area": area.name},
        code="duplicate_name",
    )


def _validate_in_municipality(instance: AreaCouncil | ResidentGroup, municipality_id: int) -> None:
    errors: dict[str, list[ValidationError]] = {}
    try:
        instance.name = validate_name(instance.name, max_length=150)
    except ValidationError as error:
        errors["name"] = [error]
    if instance.area.municipality_id != municipality_id:
        errors["area"] = [ValidationError(_("Choose an area of this municipality."))]
    if (
        isinstance(instance, ResidentGroup)
        and "name" not in errors
        and group_name_taken(instance.area, instance.name, exclude=instance.pk)
    ):
        errors["name"] = [group_name_error(instance.name, instance.area)]
    if errors:
        raise ValidationError(errors)


def _set_fields(instance: Any, allowed: tuple[str, ...], fields: dict[str, Any], what: str) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"{what} got unknown fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(instance, name, value)


@transaction.atomic
def council_create(*, actor: Any, area: Area, **fields: Any) -> AreaCouncil:
    _require(actor, "areas.manage_area", area)
    council = AreaCouncil(area=area)
    _set_fields(council, COUNCIL_FIELDS, fields, "council_create()")
    _validate_in_municipality(council, area.municipality_id)
    council.save()
    after = _scoped_state(council, COUNCIL_FIELDS, council.area)
    record(actor=actor, action=AreaAction.COUNCIL_CREATE, instance=council, after=after)
    return council


@transaction.atomic
def council_update(*, actor: Any, council: AreaCouncil, **fields: Any) -> AreaCouncil:
    council = AreaCouncil.objects.select_for_update().select_related("area").get(pk=council.pk)
    _require(actor, "areas.manage_area", council.area)
    municipality_id = council.area.municipality_id
    before = _scoped_state(council, COUNCIL_FIELDS, council.area)
    _set_fields(council, COUNCIL_FIELDS, fields, "council_update()")
    _validate_in_municipality(council, municipality_id)
    after = _scoped_state(council, COUNCIL_FIELDS, council.area)
    if after != before:
        council.save()
        record(
            actor=actor,
            action=AreaAction.COUNCIL_UPDATE,
            instance=council,
            before=before,
            after=after,
        )
    return council


@transaction.atomic
def group_create(*, actor: Any, area: Area, **fields: Any) -> ResidentGroup:
    _require(actor, "areas.manage_area", area)
    group = ResidentGroup(area=area)
    _set_fields(group, GROUP_FIELDS, fields, "group_create()")
    _validate_in_municipality(group, area.municipality_id)
    group.save()
    after = _scoped_state(group, GROUP_FIELDS, group.area)
    record(actor=actor, action=AreaAction.GROUP_CREATE, instance=group, after=after)
    return group


@transaction.atomic
def group_update(*, actor: Any, group: ResidentGroup, **fields: Any) -> ResidentGroup:
    group = ResidentGroup.objects.select_for_update().select_related("area").get(pk=group.pk)
    _require(actor, "areas.manage_area", group.area)
    municipality_id = group.area.municipality_id
    before = _scoped_state(group, GROUP_FIELDS, group.area)
    _set_fields(group, GROUP_FIELDS, fields, "group_update()")
    _validate_in_municipality(group, municipality_id)
    after = _scoped_state(group, GROUP_FIELDS, group.area)
    if after != before:
        group.save()
        record(
            actor=actor, action=AreaAction.GROUP_UPDATE, instance=group, before=before, after=after
        )
    return group

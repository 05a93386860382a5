from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

MUNICIPALITY_CODE = RegexValidator(r"^GM\d{4}$", _("A municipality code looks like GM0826."))


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    cbs_code = models.CharField(
        _("CBS code"), max_length=6, unique=True, validators=[MUNICIPALITY_CODE]
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("areas:municipality", kwargs={"municipality": self.slug})


class AreaKind(models.TextChoices):
    DISTRICT = "district", _("district (wijk)")
    VILLAGE = "village", _("village (kerkdorp)")
    NEIGHBOURHOOD = "neighbourhood", _("neighbourhood (buurt)")


# CBS codes: WK + 6 digits for districts and villages, BU + 8 digits for neighbourhoods. The first
# four digits repeat the municipality number.
AREA_CODE_PATTERNS = {
    AreaKind.DISTRICT: r"^WK\d{6}$",
    AreaKind.VILLAGE: r"^WK\d{6}$",
    AreaKind.NEIGHBOURHOOD: r"^BU\d{8}$",
}


class Area(models.Model):
    """A district, village or neighbourhood of a municipality.

    Districts and villages hang directly under the municipality; neighbourhoods under a district
    or village. `code_is_demo` marks codes we made up where CBS has none (Oss's wijk areas).
    """

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="areas",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AreaKind.choices)
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140)
    cbs_code = models.CharField(_("CBS code"), max_length=10, unique=True)
    cbs_year = models.PositiveSmallIntegerField(_("CBS edition year"), null=True, blank=True)
    code_is_demo = models.BooleanField(
        _("code is not an official CBS code"),
        default=False,
    )
    description = models.TextField(_("description"), blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="area_slug_unique"),
            models.CheckConstraint(
                condition=~models.Q(kind="neighbourhood") | models.Q(parent__isnull=False),
                name="neighbourhood_has_parent",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "areas:area", kwargs={"municipality": self.municipality.slug, "area": self.slug}
        )

    @property
    def lineage_ids(self) -> list[int]:
        """This area's id and its ancestors' ids (load with select_related('parent__parent'))."""
        ids: list[int] = []
        area: Area | None = self
        while area is not None:
            ids.append(area.pk)
            area = area.parent
        return ids


class CouncilKind(models.TextChoices):
    DISTRICT_COUNCIL = "district_council", _("district council (wijkraad)")
    VILLAGE_COUNCIL = "village_council", _("village council (dorpsraad)")
    NEIGHBOURHOOD_PLATFORM = "platform", _("neighbourhood platform")


class AreaCouncil(models.Model):
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="councils"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CouncilKind.choices)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CouncilMembership",
        related_name="councils",
        verbose_name=_("members"),
    )

    class Meta:
        verbose_name = _("area council")
        verbose_name_plural = _("area councils")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        # The council's page (meetings, budget, decisions) is the councils app's.
        return reverse("councils:detail", kwargs={"pk": self.pk})


class CouncilPosition(models.TextChoices):
    CHAIR = "chair", _("chair")
    SECRETARY = "secretary", _("secretary")
    TREASURER = "treasurer", _("treasurer")
    MEMBER = "member", _("member")


class CouncilMembership(models.Model):
    council = models.ForeignKey(AreaCouncil, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_memberships"
    )
    position = models.CharField(
        _("position"),
        max_length=20,
        choices=CouncilPosition.choices,
        default=CouncilPosition.MEMBER,
    )
    since = models.DateField(_("member since"), null=True, blank=True)

    class Meta:
        verbose_name = _("council membership")
        verbose_name_plural = _("council memberships")
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="council_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.council}"


class JoinPolicy(models.TextChoices):
    """How a resident becomes a member of a resident group."""

    OPEN = "open", _("open: anyone joins at once")
    ON_REQUEST = "request", _("on request: the contacts accept")
    INVITATION = "invitation", _("invitation only")


class ResidentGroup(models.Model):
    """Residents organised around a street, an area or an interest, with or without a council.

    Residents found and run their own groups (the groups app: services, pages, policy); the model
    lives here because councils' neighbours, initiatives, events, news and surveys refer to it. A
    dissolved group keeps its name (for what refers to it) and loses its members' data."""

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="resident_groups"
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    interest = models.CharField(_("interest or theme"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    join_policy = models.CharField(
        _("joining"), max_length=20, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )
    community_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("community worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supported_groups",
    )
    created_at = models.DateTimeField(_("founded"), auto_now_add=True, null=True)
    dissolved_at = models.DateTimeField(_("dissolved"), null=True, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="GroupMembership",
        related_name="resident_groups",
        verbose_name=_("members"),
    )

    class Meta:
        verbose_name = _("resident group")
        verbose_name_plural = _("resident groups")
        ordering = ["name"]
        constraints = [
            # one living group of a name per area, whatever its capitals; a dissolved group's
            # name is free again
            models.UniqueConstraint(
                Lower("name"),
                "area",
                condition=models.Q(dissolved_at__isnull=True),
                name="group_name_unique_in_area",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:detail", kwargs={"pk": self.pk})

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_at is not None

    @property
    def is_open(self) -> bool:
        """Takes new members at once."""
        return self.join_policy == JoinPolicy.OPEN


class GroupRole(models.TextChoices):
    CONTACT = "contact", _("contact person")
    TREASURER = "treasurer", _("treasurer")
    MEMBER = "member", _("member")


class GroupMembership(models.Model):
    group = models.ForeignKey(ResidentGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=GroupRole.choices, default=GroupRole.MEMBER
    )
    # whether the group's page names this member (contacts are named always: they are the
    # group's public contact persons)
    name_shown = models.BooleanField(_("name shown on the group's page"), default=False)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="group_member_once")]
        indexes = [models.Index(fields=["group", "role"], name="group_member_role")]

    def __str__(self) -> str:
        return f"{self.user} – {self.group}"

    @property
    def is_contact(self) -> bool:
        return self.role == GroupRole.CONTACT


class PostcodeArea(models.Model):
    """A postcode (PC6, "5051AB") and, where known, its street, in a neighbourhood: residents
    find their area by postcode or street. From the CBS's yearly postcode-house-number table
    (`manage.py import_postcodes`); `year` is that table's edition. A postcode or street may lie
    in more than one neighbourhood, so it has a row for each."""

    postcode = models.CharField(_("postcode"), max_length=6)
    street = models.CharField(_("street"), max_length=120, blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("neighbourhood"),
        on_delete=models.CASCADE,
        related_name="postcodes",
    )
    year = models.PositiveSmallIntegerField(_("CBS edition year"))

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        ordering = ["postcode", "street"]
        constraints = [
            models.UniqueConstraint(
                fields=["postcode", "street", "area"], name="postcode_street_area_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(postcode__regex=r"^[1-9][0-9]{3}[A-Z]{2}$"),
                name="postcode_is_pc6",
            ),
        ]
        indexes = [models.Index(fields=["street"], name="postcode_street")]

    def __str__(self) -> str:
        return f"{self.postcode[:4]} {self.postcode[4:]} {self.street}".strip()

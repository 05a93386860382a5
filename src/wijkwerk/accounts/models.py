from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailUserManager(UserManager["User"]):
    def _create_user_object(self, username: Any, email: Any, password: Any, **extra: Any) -> Any:
        email = self.normalize_email(email or username)
        user = self.model(email=email, **extra)
        user.password = ""
        if password is not None:
            user.set_password(password)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        user = self._create_user_object(None, email, password, **extra)
        user.save(using=self._db)
        return user

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person with an account: a resident, or an official with roles in areas."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    home_area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("home area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
    )
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    # Whether the person is old enough to vote in a neighbourhood budget round (its minimum and
    # maximum age); DigiD gives it where a round asks for proof.
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    expertise = models.TextField(
        _("expertise I offer to my neighbourhood"),
        blank=True,
        help_text=_("For example: carpentry, writing grant applications, first aid."),
    )
    # The language of the mails the platform sends this person (wijkwerk.core.notifications).
    language = models.CharField(
        _("language for e-mail"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="nl",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = EmailUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def display_name(self) -> str:
        return self.full_name or self.email.split("@", 1)[0]


class Role(models.TextChoices):
    ALDERMAN = "alderman", _("area alderman (wijkwethouder)")
    BROKER = "broker", _("neighbourhood broker (wijkmakelaar)")
    COMMUNITY_WORKER = "community_worker", _("community worker (wijkwerker)")
    AREA_COORDINATOR = "area_coordinator", _("area coordinator (wijkcoördinator)")
    CLERK = "clerk", _("council clerk (griffie)")
    ADMIN = "admin", _("administrator")


# Roles held for one area (and everything inside it) versus for the whole municipality.
AREA_ROLES = frozenset({Role.ALDERMAN, Role.BROKER, Role.COMMUNITY_WORKER, Role.AREA_COORDINATOR})
MUNICIPALITY_ROLES = frozenset({Role.CLERK, Role.ADMIN})


# An area role has an area, a municipality-wide role has none (assignments and invitations).
ROLE_SCOPE = models.Q(role__in=sorted(r.value for r in AREA_ROLES), area__isnull=False) | models.Q(
    role__in=sorted(r.value for r in MUNICIPALITY_ROLES), area__isnull=True
)


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    public_contact = models.CharField(
        _("public contact route"),
        max_length=200,
        blank=True,
        help_text=_("Shown on the area page, e.g. an e-mail address or telephone number."),
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["role", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "area"],
                condition=models.Q(area__isnull=False),
                name="area_role_assigned_once",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "municipality"],
                condition=models.Q(area__isnull=True),
                name="municipality_role_assigned_once",
            ),
            models.CheckConstraint(
                condition=ROLE_SCOPE,
                name="role_scope_matches_role",
            ),
        ]

    def __str__(self) -> str:
        where = self.area or self.municipality
        return f"{self.user} – {self.get_role_display()} – {where}"


class RoleInvitation(models.Model):
    """An administrator's invitation to take up a role: mailed as a link with a single-use token
    (only its hash is stored); the role is assigned when the invited person accepts it, logged in
    with the address it was sent to (`services.invitation_accept`)."""

    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="role_invitations",
    )
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_invitations",
    )
    public_contact = models.CharField(_("public contact route"), max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("role invitation")
        verbose_name_plural = _("role invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=ROLE_SCOPE,
                name="invitation_scope_matches_role",
            ),
        ]

    def __str__(self) -> str:
        where = self.area or self.municipality
        return f"{self.email} – {self.get_role_display()} – {where}"

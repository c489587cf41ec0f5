"""Core models: staff users, branches, shelving locations, the audit trail and API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import CallNumberRule


class TimeStamped(models.Model):
    """Adds created/updated times."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Branch(TimeStamped):
    """A service point of the library (a library may have only one). ``code`` is what other systems use."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # {"0": [["08:00", "16:00"]], ...} weekday (Monday = 0) to opening periods; absent = closed.
    opening_hours = models.JSONField(_("opening hours"), default=dict, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        permissions = [
            ("manage_branches", _("Can open and change branches")),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Location(TimeStamped):
    """A shelving location inside a branch: stacks, reference, children's corner, stores."""

    branch = models.ForeignKey(Branch, models.PROTECT, related_name="locations", verbose_name=_("branch"))
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    is_public = models.BooleanField(_("open to the public"), default=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["branch__code", "sort_order", "code"]
        verbose_name = _("shelving location")
        verbose_name_plural = _("shelving locations")
        permissions = [
            ("manage_locations", _("Can add and change shelving locations")),
        ]
        constraints = [models.UniqueConstraint(fields=["branch", "code"], name="location_code_unique_in_branch")]

    def __str__(self) -> str:
        return f"{self.branch.code} · {self.name}"


class User(AbstractUser):
    """A person who logs in. Staff have a home branch and roles (groups); patrons link here later."""

    home_branch = models.ForeignKey(
        Branch, models.SET_NULL, null=True, blank=True, related_name="staff", verbose_name=_("home branch")
    )
    language = models.CharField(_("preferred language"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("manage_staff", _("Can create staff accounts and give roles")),
        ]

    @property
    def role_names(self) -> list[str]:
        return sorted(g.name for g in self.groups.all())


class AuditEvent(models.Model):
    """One thing a person (or the system) did: who, what verb, to which object, before and after."""

    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("actor"))
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    verb = models.CharField(_("action"), max_length=80, db_index=True)
    content_type = models.ForeignKey(ContentType, models.PROTECT, null=True, blank=True, related_name="+")
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["content_type", "object_id", "-occurred_at"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_name} {self.verb} {self.object_repr}"


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        permissions = [
            ("manage_api_tokens", _("Can issue and revoke other people's API tokens")),
        ]

    def __str__(self) -> str:
        return f"{self.user.username} {self.prefix}…"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "pst_" + secrets.token_urlsafe(32)


class Library(models.Model):
    """The library's own settings (one row): its name and the rules its staff follow."""

    name = models.CharField(_("library name"), max_length=200, default="Perpustakaan")
    call_number_rule = models.CharField(
        _("call number rule"), max_length=20, choices=CallNumberRule.choices, default=CallNumberRule.INDONESIAN
    )
    default_classification_scheme = models.CharField(_("default classification scheme"), max_length=8, default="ddc")
    barcode_prefix = models.CharField(_("barcode prefix"), max_length=8, default="B")

    class Meta:
        verbose_name = _("library settings")
        verbose_name_plural = _("library settings")
        permissions = [
            ("configure_library", _("Can change the library's settings")),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> "Library":
        library = cls.objects.first()
        return library if library is not None else cls.objects.create()

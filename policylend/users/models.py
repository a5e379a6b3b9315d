from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Role


class User(AbstractUser):
    """A person who logs in. Their role says what they may do; their scope, where."""

    full_name = models.CharField(_("full name"), max_length=120, blank=True)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    scope_unit = models.ForeignKey(
        "organisation.OrganisationUnit",
        verbose_name=_("scope"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    scope_association = models.ForeignKey(
        "associations.Association",
        verbose_name=_("association"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    language = models.CharField(
        _("language"),
        max_length=5,
        blank=True,
        choices=[("vi", "Tiếng Việt"), ("en", "English"), ("hi", "हिन्दी")],
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="association_officer")
                | models.Q(scope_association__isnull=False),
                name="association_officer_has_association",
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    def get_additional_data(self):
        return {"unit_path": self.scope_unit.path if self.scope_unit_id else ""}


class RolePolicy(models.Model):
    """Per-role security settings a system administrator may change: two-factor required or not."""

    role = models.CharField(_("role"), max_length=30, choices=Role.choices, unique=True)
    two_factor_required = models.BooleanField(_("two-factor login required"), default=False)

    class Meta:
        verbose_name = _("role policy")
        verbose_name_plural = _("role policies")
        ordering = ["role"]

    def __str__(self):
        return self.get_role_display()

    def get_additional_data(self):
        return {"unit_path": ""}


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once, when made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60)
    prefix = models.CharField(max_length=8, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.prefix}… ({self.name})"

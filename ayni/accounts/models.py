"""Users (log in with document type and number) and roles granted on an org unit."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from ayni.org.models import OrgUnit


def login_id_for(doc_type: str, doc_number: str) -> str:
    return f"{doc_type}-{doc_number.strip().upper()}"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(
        self, doc_type: str, doc_number: str, password: str | None = None, **extra: Any
    ) -> User:
        user = self.model(
            doc_type=doc_type,
            doc_number=doc_number.strip().upper(),
            login_id=login_id_for(doc_type, doc_number),
            **extra,
        )
        if extra.get("email"):
            user.email = self.normalize_email(extra["email"])
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, login_id: str, password: str | None = None, **extra: Any) -> User:
        doc_type, _, doc_number = login_id.partition("-")
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(doc_type, doc_number, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    class DocType(models.TextChoices):
        DNI = "01", _("DNI")
        CE = "04", _("Carné de extranjería")
        PASSPORT = "07", _("Pasaporte")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    doc_type = models.CharField(_("tipo de documento"), max_length=2, choices=DocType.choices)
    doc_number = models.CharField(_("número de documento"), max_length=15)
    login_id = models.CharField(max_length=20, unique=True, editable=False)
    full_name = models.CharField(_("nombre completo"), max_length=200, blank=True)
    # The contact of the person: sign-in links, notices and the password reset go
    # here (Servant has no e-mail or phone of its own; docs/decisions.md).
    email = models.EmailField(_("correo electrónico"), blank=True)
    phone = models.CharField(_("teléfono celular"), max_length=20, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Acceso al sitio de administración.")
    date_joined = models.DateTimeField(default=timezone.now)
    privacy_accepted_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "login_id"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("usuario")
        constraints = [
            models.UniqueConstraint(fields=["doc_type", "doc_number"], name="uniq_user_document")
        ]

    def __str__(self) -> str:
        return self.full_name or self.login_id

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.login_id = login_id_for(self.doc_type, self.doc_number)
        super().save(*args, **kwargs)

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Sessions are tied to the password *and* the e-mail: changing either ends the
        account's other sessions (the view that changes it keeps the current one with
        `update_session_auth_hash`)."""
        return salted_hmac(
            "ayni.accounts.User.session_auth_hash",
            f"{self.password}\x1f{self.email.lower()}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Role(models.TextChoices):
    ESCALAFON = "escalafon", _("Escalafón y legajos")
    PLANILLAS = "planillas", _("Planillas")
    MESA_PARTES = "mesa_partes", _("Mesa de partes")
    JEFE_RRHH = "jefe_rrhh", _("Jefe de Recursos Humanos")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMINISTRADOR = "administrador", _("Administrador del sistema")
    PROTECCION_DATOS = "proteccion_datos", _("Oficial de protección de datos personales")


class RoleGrant(models.Model):
    """A role held by a user on an org unit; it reaches the unit's whole subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=20, choices=Role.choices)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="role_grants")
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="uniq_role_grant")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} @ {self.unit}"


class AccountLink(models.Model):
    """A single-use, expiring link e-mailed to a person: confirm a new e-mail address,
    or complete a sign-in on an account under distributed guessing. Only the hash of
    its code is kept; the code travels after `#` in the link (never logged)."""

    class Purpose(models.TextChoices):
        EMAIL_CHANGE = "correo", _("Confirmar correo nuevo")
        SIGN_IN = "ingreso", _("Completar el ingreso")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64, unique=True)
    new_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "purpose"], name="account_link_user")]

"""Certificates about to expire, and units that no certificate covers: for the
administrator (a daily task and `manage.py signing_check`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ayni.core.signing.keys import KeyEntry, get_store, unit_chain

# Days before expiry on which the administrators are told (not every day: no flood).
NOTICE_DAYS = (45, 30, 15, 7, 3, 1, 0)


@dataclass(frozen=True)
class Expiring:
    entry: KeyEntry
    days_left: int
    has_successor: bool  # another key of the unit is valid after this one ends

    @property
    def until(self) -> date:
        return timezone.localdate(self.entry.not_after)


def expiring(today: date | None = None) -> list[Expiring]:
    """Keys that end within SIGNING_EXPIRY_WARNING_DAYS (or have ended) and no successor."""
    store = get_store()
    if store is None:
        return []
    today = today or timezone.localdate()
    horizon = settings.SIGNING_EXPIRY_WARNING_DAYS
    found = []
    for group in store.keys.values():
        for entry in group:
            left = (timezone.localdate(entry.not_after) - today).days
            if left > horizon:
                continue
            after = entry.not_after + timedelta(seconds=1)
            successor = any(other.valid_at(after) for other in group if other is not entry)
            found.append(Expiring(entry, left, successor))
    return sorted(found, key=lambda e: e.days_left)


def uncovered_units() -> list[tuple[str, str]]:
    """UGELs (and above) that no valid key covers, themselves or through an ancestor."""
    from ayni.org.models import OrgUnit

    store = get_store()
    if store is None:
        return []
    now = timezone.now()
    units = OrgUnit.objects.exclude(kind=OrgUnit.Kind.SCHOOL).only("code", "name", "path")
    return [(u.code, u.name) for u in units if store.choose(unit_chain(u.path), now) is None]


def warn_administrators(today: date | None = None) -> int:
    """Notify every active system administrator of each certificate that expires soon
    without a successor, on the NOTICE_DAYS before it ends. Returns notices sent."""
    from ayni.accounts.models import Role, RoleGrant
    from ayni.core.notifications import notify

    due = [e for e in expiring(today) if not e.has_successor and e.days_left in NOTICE_DAYS]
    if not due:
        return 0
    admins = {
        grant.user
        for grant in RoleGrant.objects.filter(
            role=Role.ADMINISTRADOR, active=True, user__is_active=True
        ).select_related("user")
    }
    sent = 0
    for item in due:
        title = _(
            "El certificado de firma digital de la unidad %(unit)s vence el %(date)s: "
            "instale el siguiente (docs/firma.md)."
        ) % {"unit": item.entry.unit_code, "date": item.until.strftime("%d/%m/%Y")}
        for admin in admins:
            notify(recipient=admin, title=title)
            sent += 1
    return sent

"""Demo enrolment: every demo staff account but one has an authenticator with the same
published secret (`oathtool --totp -b AYNIDEMOAYNIDEMOAYNIDEMOAYNIDEMO`), shown on the
login and verification pages in demo mode only. The Cusco escalafón officer (20000004)
is left unenrolled, to show the first-time enrolment."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from ayni.accounts.models import RoleGrant, User

DEMO_TOTP_SECRET = "AYNIDEMOAYNIDEMOAYNIDEMOAYNIDEMO"  # noqa: S105 - public, demo mode only
DEMO_TOTP_KEY = "061a81918e061a81918e061a81918e061a81918e"  # the same secret, in hex
DEMO_NOT_ENROLLED = {"01-20000004"}


def seed_identity_demo() -> int:
    """Enrol the demo staff (idempotent); the number of accounts enrolled now."""
    staff = (
        User.objects.filter(
            pk__in=RoleGrant.objects.filter(active=True).values("user_id"),
            login_id__startswith="01-2",
        )
        .exclude(login_id__in=DEMO_NOT_ENROLLED)
        .exclude(pk__in=TOTPDevice.objects.filter(confirmed=True).values("user_id"))
    )
    devices = [
        TOTPDevice(user=user, name="app", key=DEMO_TOTP_KEY, confirmed=True) for user in staff
    ]
    TOTPDevice.objects.bulk_create(devices)
    return len(devices)

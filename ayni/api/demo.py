"""Demo tokens (issue 15): the payroll officer 20000002 has one active token with audited
uses and one revoked; the escalafón officer 20000001 has one that read the teacher's
file, which she sees in «¿Quién vio mi legajo?». Idempotent: nothing is added for a user
who already has tokens. The secrets are thrown away (create a new token to try the API).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ayni.accounts.models import User
from ayni.api.models import AccessToken
from ayni.api.scopes import PAYROLL, SERVANTS, paths_for
from ayni.api.tokens import token_create, token_revoke
from ayni.core.audit import audit_log
from ayni.personnel.models import Servant
from ayni.personnel.services import SUBJECT

DEMO_IP = "10.20.0.15"


def _user(doc: str) -> User | None:
    return User.objects.filter(login_id=f"01-{doc}", is_active=True).first()


def _uses(token: AccessToken, calls: list[tuple[timedelta, str]]) -> None:
    now = timezone.now()
    for ago, call in calls:
        event = audit_log(
            action="api.token_used",
            actor=token.user,
            obj=token,
            detail=f"{token.name} · {call}",
        )
        type(event).objects.filter(pk=event.pk).update(occurred_at=now - ago, client_ip=DEMO_IP)
    AccessToken.objects.filter(pk=token.pk).update(
        last_used_at=now - min(ago for ago, _ in calls),
        last_used_ip=DEMO_IP,
        use_count=len(calls),
    )


@transaction.atomic
def seed_api_demo() -> int:
    created = 0
    now = timezone.now()
    officer = _user("20000002")
    if officer is not None and not AccessToken.objects.filter(user=officer).exists():
        active, _ = token_create(
            user=officer,
            name="Sistema de planillas UGEL 07",
            scopes=[PAYROLL],
            unit_paths=paths_for(officer, [PAYROLL]),
            expires_at=now + timedelta(days=60),
        )
        _uses(
            active,
            [
                (timedelta(days=3, hours=2), "GET /api/v1/planillas"),
                (timedelta(days=1, hours=5), "POST /api/v1/planillas"),
                (timedelta(days=1, hours=4), f"GET /api/v1/planillas/{active.uuid}"),
            ],
        )
        old, _ = token_create(
            user=officer,
            name="Prueba de integración (antigua)",
            scopes=[PAYROLL],
            unit_paths=paths_for(officer, [PAYROLL]),
            expires_at=now + timedelta(days=20),
        )
        _uses(old, [(timedelta(days=10), "GET /api/v1/planillas")])
        token_revoke(user=officer, token=old)
        created += 2
    escalafon = _user("20000001")
    teacher = Servant.objects.filter(doc_number="10000001").select_related("employing_unit")
    servant = teacher.first()
    if (
        escalafon is not None
        and servant is not None
        and not AccessToken.objects.filter(user=escalafon).exists()
    ):
        token, _ = token_create(
            user=escalafon,
            name="Sistema de escalafón UGEL 07",
            scopes=[SERVANTS],
            unit_paths=paths_for(escalafon, [SERVANTS]),
            expires_at=now + timedelta(days=30),
        )
        _uses(token, [(timedelta(hours=6), f"GET /api/v1/servidores/{servant.uuid}/legajo")])
        read = audit_log(
            action="personnel.servant_viewed",
            actor=escalafon,
            subject_type=SUBJECT,
            subject_id=servant.pk,
            obj=servant,
            unit_path=servant.employing_unit.path,
            detail=f"Legajo completo (API, token «{token.name}»)",
        )
        type(read).objects.filter(pk=read.pk).update(
            occurred_at=now - timedelta(hours=6), client_ip=DEMO_IP
        )
        created += 1
    return created

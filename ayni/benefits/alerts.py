"""Alerts that come first (the daily task): 25 and 30 years of service reached, the
cessation by age a year away, an observed benefit filing or change request near its term.

Each alert is sent once: a `BenefitAlert` row with a unique (servant, key) is written in
the same transaction as the notice, so running the task twice, or two workers at once,
sends one (the second insert waits for the first and then fails). The in-app notice says
what to do next; the e-mail only points to it (no personal values in it).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from ayni.benefits.facts import facts_of
from ayni.benefits.models import Benefit, BenefitAlert, BenefitRequest, BenefitRule
from ayni.benefits.requirements import cessation_alert_day
from ayni.benefits.rules import cessation_rule, years_reached_on
from ayni.core.notifications import mail_after_commit, notify
from ayni.core.workdays import add_working_days, lima_date
from ayni.desk.models import Case
from ayni.personnel.models import Allowance, ChangeRequest, Entry, Servant
from ayni.personnel.service_time import add_months


def _send(servant: Servant, key: str, title: str, link: str) -> bool:
    """Record the alert and notify, once. False when it had been sent already."""
    user = servant.user
    if user is None:
        return False
    try:
        with transaction.atomic():
            BenefitAlert.objects.create(servant=servant, key=key[:60])
            notify(recipient=user, title=title, link=link, email=False)
            if user.email:
                mail_after_commit(
                    user.email,
                    gettext("Ayni: tiene un aviso sobre sus beneficios o trámites"),
                    gettext(
                        "Tiene un aviso nuevo en Ayni con lo que debe hacer a continuación.\n\n"
                        "Ingrese para verlo:\n%(url)s\n\nEste es un mensaje automático; no lo "
                        "responda."
                    )
                    % {"url": f"{settings.SITE_URL}{link}"},
                )
    except IntegrityError:
        return False
    return True


def _ats_candidates(today: date, years: int) -> Iterable[Servant]:
    """Active servants with an account whose first service began long enough ago, who
    have not had this alert and whose file does not record the allowance yet."""
    regimes = BenefitRule.objects.filter(benefit=f"ats{years}").values_list(
        "regime_code", flat=True
    )
    # service counts both ends: begun on `oldest`, it completes the years today
    oldest = add_months(today + timedelta(days=1), -12 * years)
    ids = (
        Entry.objects.values("servant_id")
        .annotate(first=Min("date_from"))
        .filter(first__lte=oldest)
        .values_list("servant_id", flat=True)
    )
    return (
        Servant.objects.filter(
            pk__in=ids,
            status=Servant.Status.ACTIVO,
            user__isnull=False,
            labor_regime__code__in=regimes,
        )
        .exclude(pk__in=BenefitAlert.objects.filter(key=f"ats{years}").values("servant_id"))
        .exclude(pk__in=Allowance.objects.filter(action=f"ats{years}").values("servant_id"))
        .select_related("user", "labor_regime")
    )


def ats_alerts(today: date) -> int:
    sent = 0
    for years in (25, 30):
        for servant in _ats_candidates(today, years):
            code = servant.labor_regime.code if servant.labor_regime else ""
            rule = (
                BenefitRule.objects.filter(regime_code=code, benefit=f"ats{years}")
                .order_by("-valid_from")
                .first()
            )
            counts_contract = bool(rule.params.get("counts_contract", True)) if rule else True
            day = years_reached_on(
                facts_of(servant, today), years, today, counts_contract=counts_contract
            )
            if day is None or day > today:
                continue
            sent += _send(
                servant,
                f"ats{years}",
                gettext(
                    "Cumplió %(years)d años de servicios: puede pedir su asignación por "
                    "tiempo de servicios desde «¿Cumplo los requisitos?»."
                )
                % {"years": years},
                reverse("benefits:requirements"),
            )
    return sent


def cessation_alerts(today: date) -> int:
    """A year before the cessation by age (the rule of the servant's regime)."""
    sent = 0
    rules: dict[str, list[BenefitRule]] = {}
    for rule in BenefitRule.objects.filter(benefit=Benefit.CESE_EDAD).order_by("valid_from"):
        rules.setdefault(rule.regime_code, []).append(rule)
    youngest_age = min((int(r.params["age"]) for rs in rules.values() for r in rs), default=0)
    if not youngest_age:
        return 0
    born_by = date(today.year - youngest_age + 1, 12, 31)
    servants = (
        Servant.objects.filter(
            status=Servant.Status.ACTIVO,
            user__isnull=False,
            birth_date__isnull=False,
            birth_date__lte=born_by,
            labor_regime__code__in=list(rules),
        )
        .exclude(pk__in=BenefitAlert.objects.filter(key__startswith="cese:").values("servant_id"))
        .select_related("user", "labor_regime")
    )
    for servant in servants:
        if servant.labor_regime is None or servant.birth_date is None:
            continue
        found = cessation_rule(rules[servant.labor_regime.code], servant.birth_date)
        if found is None:
            continue
        day = found[1]
        if not cessation_alert_day(day) <= today <= day:
            continue
        sent += _send(
            servant,
            f"cese:{day.isoformat()}",
            gettext(
                "Su cese por límite de edad será el %(day)s: revise su legajo y su tiempo de "
                "servicios, y pida las correcciones que falten antes de esa fecha."
            )
            % {"day": day.strftime("%d/%m/%Y")},
            reverse("benefits:requirements"),
        )
    return sent


def observed_alerts(today: date) -> int:
    """An observed benefit filing or change request whose term ends within a working day."""
    sent = 0
    soon = add_working_days(today, 1)
    for req in BenefitRequest.objects.filter(
        case__state=Case.State.OBSERVED,
        case__observed_until__gte=today,
        case__observed_until__lte=soon,
    ).select_related("case", "servant__user"):
        case = req.case
        if case.observed_until is None:
            continue
        sent += _send(
            req.servant,
            f"case:{case.pk}:{case.observed_until}",
            gettext(
                "Su trámite %(case)s está observado y el plazo vence el %(day)s: complételo "
                "en la mesa de partes para que no se dé por no presentado."
            )
            % {"case": case.label, "day": case.observed_until.strftime("%d/%m/%Y")},
            reverse("desk:my_case", args=[case.uuid]),
        )
    for cr in ChangeRequest.objects.filter(
        state=ChangeRequest.State.OBSERVADO,
        observed_until__gte=today,
        observed_until__lte=soon,
    ).select_related("servant__user"):
        if cr.observed_until is None:
            continue
        sent += _send(
            cr.servant,
            f"cr:{cr.pk}:{cr.observed_until}",
            gettext(
                "Su solicitud de modificación está observada y el plazo vence el %(day)s: "
                "responda la observación para que no se rechace."
            )
            % {"day": cr.observed_until.strftime("%d/%m/%Y")},
            reverse("personnel:my_request_detail", args=[cr.uuid]),
        )
    return sent


def send_benefit_alerts(today: date | None = None) -> dict[str, Any]:
    today = today or lima_date(timezone.now())
    return {
        "ats": ats_alerts(today),
        "cese": cessation_alerts(today),
        "observados": observed_alerts(today),
    }

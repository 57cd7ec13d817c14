"""Writes of the benefits app: the constancia de pagos, benefit requests, alerts.

`CONSTANCIA_GATE` and `REQUEST_GATE` are the only writers of their models' `state`
(STYLE.md rule 14). A constancia is issued in two steps: the row (with its reserved
verification code) in the request's transaction, then the build (snapshot, PDF, XLSX,
verification record) at once for a short range or in a task with progress for a long
one (`INLINE_MONTHS`).
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from ayni.accounts.permissions import (
    PAYROLL_MANAGE,
    SELF_ACTION_MESSAGE,
    SelfActionError,
    handling_path,
    has_perm,
    require_perm_on_servant,
)
from ayni.benefits.constancia import (
    MonthRange,
    build_snapshot,
    constancia_xlsx,
    has_payments,
    render_constancia_pdf,
)
from ayni.benefits.documents import REQUESTABLE, REQUIRED_DOCUMENTS
from ayni.benefits.facts import facts_of
from ayni.benefits.models import Benefit, BenefitRequest, BenefitRule, PaymentCertificate
from ayni.benefits.requirements import Answer, evaluate
from ayni.benefits.rules import rule_on
from ayni.core.audit import audit_log
from ayni.core.errors import UserError
from ayni.core.formats import soles
from ayni.core.models import VerificationRecord
from ayni.core.notifications import mail_after_commit, notify
from ayni.core.states import Gate
from ayni.core.verification import mask_name, new_code
from ayni.core.workdays import lima_date, lima_dmy
from ayni.core.workqueue import work_item_close, work_item_post
from ayni.desk.cases import WORK_KIND as CASE_WORK_KIND
from ayni.desk.cases import case_file, case_move
from ayni.desk.models import Case
from ayni.desk.uploads import CheckedPdf
from ayni.personnel.models import Servant

INLINE_MONTHS = 36  # up to three years: built in the request; longer: a task
PROGRESS_STEP = 12

_C = PaymentCertificate.State
CONSTANCIA_GATE = Gate(
    action_prefix="benefits.constancia",
    allowed={
        _C.QUEUED: frozenset({_C.RUNNING, _C.FAILED}),
        _C.RUNNING: frozenset({_C.DONE, _C.FAILED}),
    },
    what=gettext_lazy("La constancia de pagos"),
    labels=dict(_C.choices),  # type: ignore[arg-type]
)


class BenefitError(UserError):
    """A refusal for the user, in Spanish."""


def _mask(servant: Servant) -> str:
    surnames = " ".join(p for p in (servant.paternal_surname, servant.maternal_surname) if p)
    return mask_name(surnames, servant.given_names)


def sign_pdf(pdf: bytes, servant: Servant, code: str, at: Any) -> bytes:
    """The hook for the PAdES signature (ayni.core.signing, when the tree has it): the
    employing unit signs; without signing configured the bytes come back unchanged."""
    try:
        from ayni.core.signing import Level, sign_document
    except ImportError:
        return pdf
    from ayni.core.verification import format_code

    return sign_document(
        pdf, servant.employing_unit, level=Level.B_B, code=format_code(code), signing_time=at
    )


# --- the constancia de pagos ---------------------------------------------------------


def constancia_request(
    *,
    user: Any,
    servant: Servant,
    span: MonthRange,
    request: HttpRequest | None = None,
) -> PaymentCertificate:
    """The servant for themselves, or a payroll officer for a servant in scope (never for
    their own record as staff: they ask as a servant)."""
    own = servant.user_id is not None and servant.user_id == getattr(user, "pk", None)
    if not own:
        require_perm_on_servant(user, PAYROLL_MANAGE, servant)
    today = lima_date(timezone.now())
    if not has_payments(servant, span, today):
        raise BenefitError(
            gettext(
                "No hay boletas publicadas en Ayni para %(range)s: no se puede emitir una "
                "constancia de pagos de ese periodo."
            )
            % {"range": span.label}
        )
    with transaction.atomic():
        cert = PaymentCertificate.objects.create(
            servant=servant,
            requested_by=user,
            first_month=span.first,
            last_month=span.last,
            total=span.months,
            verification_code=new_code(),
        )
        audit_log(
            action="benefits.constancia_requested",
            actor=user,
            request=request,
            subject_type="servant",
            subject_id=servant.pk,
            obj=cert,
            unit_path=servant.employing_unit.path,
            detail=span.label,
        )
        if span.months > INLINE_MONTHS:
            from ayni.benefits.tasks import build_constancia_task

            cert_id = cert.pk
            transaction.on_commit(lambda: build_constancia_task.enqueue(cert_id))
    if span.months <= INLINE_MONTHS:
        constancia_build(cert.pk)
        cert.refresh_from_db()
    return cert


def _store(name: str, data: bytes) -> str:
    return default_storage.save(name, ContentFile(data))


def constancia_build(cert_id: int) -> bool:
    """Build once (a second delivery of the task finds it running or done)."""
    cert = PaymentCertificate.objects.select_related(
        "servant__employing_unit", "servant__labor_regime", "requested_by"
    ).get(pk=cert_id)
    servant = cert.servant
    unit_path = servant.employing_unit.path
    if not CONSTANCIA_GATE.try_move(
        cert,
        _C.RUNNING,
        actor=cert.requested_by,
        expected=_C.QUEUED,
        unit_path=unit_path,
        subject_type="servant",
        subject_id=servant.pk,
    ):
        return False
    span = MonthRange(cert.first_month, cert.last_month)
    at = cert.created_at.replace(microsecond=0)
    today = lima_date(at)

    def progress(done: int) -> None:
        PaymentCertificate.objects.filter(pk=cert.pk).update(done=done)

    try:
        snapshot = build_snapshot(servant, span, today, progress)
        issuer = servant.employing_unit.name
        pdf = render_constancia_pdf(
            snapshot,
            issuer=issuer,
            code=cert.verification_code,
            issued_on=lima_dmy(at),
            at=at,
        )
        pdf = sign_pdf(pdf, servant, cert.verification_code, at)
        xlsx = constancia_xlsx(snapshot, code=cert.verification_code, issuer=issuer, at=at)
        with transaction.atomic():
            pdf_name = _store(f"constancias/{cert.uuid}.pdf", pdf)
            xlsx_name = _store(f"constancias/{cert.uuid}.xlsx", xlsx)
            VerificationRecord.objects.create(
                code=cert.verification_code,
                kind="constancia_pagos",
                issuer=issuer,
                issued_at=at,
                summary={
                    "Documento": "Constancia de pagos",
                    "Titular": _mask(servant),
                    "Periodo": span.label,
                    "Meses con pagos": snapshot["paid_months"],
                },
                pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            )
            CONSTANCIA_GATE.move(
                cert,
                _C.DONE,
                actor=cert.requested_by,
                expected=_C.RUNNING,
                unit_path=unit_path,
                subject_type="servant",
                subject_id=servant.pk,
                fields={
                    "snapshot": {k: v for k, v in snapshot.items() if k != "raw_rows"},
                    "pdf_file": pdf_name,
                    "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
                    "xlsx_file": xlsx_name,
                    "done": cert.total,
                    "finished_at": timezone.now(),
                },
            )
            if cert.total > INLINE_MONTHS and servant.user is not None:
                notify(
                    recipient=servant.user,
                    title=gettext("Su constancia de pagos está lista"),
                    link=_my_constancias_link(),
                )
    except Exception as exc:
        with transaction.atomic():
            CONSTANCIA_GATE.try_move(
                cert,
                _C.FAILED,
                actor=cert.requested_by,
                expected=_C.RUNNING,
                unit_path=unit_path,
                fields={"error": str(exc)[:300]},
                detail=str(exc)[:200],
            )
        raise
    return True


def _my_constancias_link() -> str:
    return reverse("benefits:constancias")


def constancia_read_record(request: HttpRequest, cert: PaymentCertificate, what: str) -> None:
    """A download: staff reads show in «¿Quién vio mi legajo?»."""
    audit_log(
        action="benefits.constancia_downloaded",
        request=request,
        subject_type="servant",
        subject_id=cert.servant_id,
        obj=cert,
        unit_path=cert.servant.employing_unit.path,
        detail=what,
    )


# --- benefit requests ------------------------------------------------------------------

_S = BenefitRequest.State
REQUEST_GATE = Gate(
    action_prefix="benefits.request",
    allowed={_S.SUBMITTED: frozenset({_S.CONFIRMED, _S.CORRECTED})},
    what=gettext_lazy("El pedido de beneficio"),
    labels=dict(_S.choices),  # type: ignore[arg-type]
)


def preliminary(servant: Servant, benefit: str, today: date) -> Answer:
    """The answer of «¿Cumplo los requisitos?» for this benefit (its computation)."""
    facts = facts_of(servant, today)
    for answer in evaluate(servant, facts, today):
        if answer.benefit == benefit:
            return answer
    raise BenefitError(
        gettext("Para su régimen laboral Ayni no tiene registrada la regla de ese beneficio.")
    )


def benefit_request_file(
    *,
    user: Any,
    servant: Servant,
    benefit: str,
    files: dict[str, CheckedPdf],
    relationship: str = "",
    deceased_name: str = "",
    request: HttpRequest | None = None,
) -> BenefitRequest:
    """File the request as a desk case of the servant's UGEL, routed to Planillas, with
    the preliminary computation attached. Everything or nothing (one transaction)."""
    if servant.user_id is None or servant.user_id != getattr(user, "pk", None):
        raise BenefitError(gettext("Solo puede pedir beneficios a su nombre."))
    if benefit not in REQUESTABLE:
        raise BenefitError(gettext("Ese beneficio no se pide por Ayni."))
    today = lima_date(timezone.now())
    answer = preliminary(servant, benefit, today)
    if not answer.can_request:
        raise BenefitError(
            gettext("Según su legajo aún no le corresponde: %(why)s") % {"why": answer.headline}
        )
    needed = REQUIRED_DOCUMENTS[Benefit(benefit)]
    missing = [str(label) for name, label in needed if name not in files]
    if missing:
        raise BenefitError(gettext("Adjunte: %(docs)s.") % {"docs": "; ".join(missing)})
    deceased_name = " ".join(deceased_name.split())[:160]
    if benefit == Benefit.LUTO:
        if relationship not in (
            BenefitRequest.Relationship.SPOUSE,
            BenefitRequest.Relationship.PARENT,
            BenefitRequest.Relationship.CHILD,
        ):
            raise BenefitError(gettext("Elija el parentesco de la persona fallecida."))
        if not deceased_name:
            raise BenefitError(gettext("Escriba el nombre de la persona fallecida."))
    label = str(Benefit(benefit).label)
    with transaction.atomic():
        Servant.objects.select_for_update().filter(pk=servant.pk).first()
        open_same = BenefitRequest.objects.filter(
            servant=servant, benefit=benefit, case__state__in=Case.OPEN_STATES
        )
        if benefit == Benefit.LUTO:
            open_same = open_same.filter(deceased_name__iexact=deceased_name)
        if open_same.exists() or (
            benefit != Benefit.LUTO
            and BenefitRequest.objects.filter(
                servant=servant, benefit=benefit, state__in=[_S.CONFIRMED, _S.CORRECTED]
            ).exists()
        ):
            raise BenefitError(
                gettext("Ya tiene un pedido de %(benefit)s en trámite.") % {"benefit": label}
            )
        case = case_file(
            user=user,
            servant=servant,
            unit=servant.employing_unit,
            kind=Case.Kind.OTHER,
            subject=gettext("Solicitud de %(benefit)s") % {"benefit": label},
            files=list(files.values()),
            request=request,
        )
        case_move(
            case,
            Case.State.ROUTED,
            actor=None,
            comment=gettext("Derivado a Planillas: pedido de beneficio con cálculo preliminar"),
            fields={"area": Case.Area.PLANILLAS},
        )
        amount = answer.amount if answer.amount is not None else Decimal("0.00")
        req = BenefitRequest.objects.create(
            servant=servant,
            benefit=benefit,
            case=case,
            rule=_rule_for(servant, benefit, today),
            computation={
                "headline": answer.headline
                if benefit != Benefit.LUTO
                else gettext("Monto fijo del subsidio: %(amount)s.") % {"amount": soles(amount)},
                "rule_text": answer.rule_text,
                "source": answer.source,
                "facts": [[k, v] for k, v in answer.facts],
                "missing": [m[0] for m in answer.missing],
                "amount": str(amount),
                "computed_on": today.isoformat(),
            },
            amount=amount,
            relationship=relationship if benefit == Benefit.LUTO else "",
            deceased_name=deceased_name if benefit == Benefit.LUTO else "",
        )
        # the Planillas work queue leads to the computation to confirm (and from there to
        # the case); the desk's own answer closes this item like any case item
        work_item_close(source_type="case", source_id=str(case.pk))
        work_item_post(
            kind=CASE_WORK_KIND,
            title=f"{case.label}: {label}",
            link=reverse("benefits:request_detail", args=[req.uuid]),
            unit_path=handling_path(case.unit.path, PAYROLL_MANAGE, case.filer_id),
            permission=PAYROLL_MANAGE,
            source_type="case",
            source_id=str(case.pk),
            not_for=case.filer,
        )
        audit_log(
            action="benefits.request_filed",
            actor=user,
            request=request,
            subject_type="servant",
            subject_id=servant.pk,
            obj=req,
            unit_path=case.unit.path,
            detail=f"{case.label}: {label}",
        )
    return req


def _rule_for(servant: Servant, benefit: str, today: date) -> BenefitRule | None:
    code = servant.labor_regime.code if servant.labor_regime else ""
    rows = list(BenefitRule.objects.filter(regime_code=code, benefit=benefit))
    found: BenefitRule | None = rule_on(rows, today)
    return found or (rows[-1] if rows else None)


def benefit_request_decide(
    *,
    officer: Any,
    req: BenefitRequest,
    amount: Decimal,
    note: str = "",
    request: HttpRequest | None = None,
) -> BenefitRequest:
    """The payroll officer confirms the preliminary amount, or corrects it (with a note)."""
    with transaction.atomic():
        req = (
            BenefitRequest.objects.select_for_update(of=("self",))
            .select_related("case__unit", "servant__user", "servant__employing_unit")
            .get(pk=req.pk)
        )
        if req.servant.user_id is not None and req.servant.user_id == getattr(officer, "pk", None):
            raise SelfActionError(SELF_ACTION_MESSAGE)
        if not has_perm(officer, PAYROLL_MANAGE, req.case.unit):
            raise BenefitError(gettext("Su función no puede revisar este pedido."))
        if amount < 0 or amount > Decimal("9999999.99"):
            raise BenefitError(gettext("Escriba un monto válido."))
        note = (note or "").strip()[:500]
        corrected = amount.quantize(Decimal("0.01")) != req.amount
        if corrected and not note:
            raise BenefitError(gettext("Explique la corrección del monto para el servidor."))
        REQUEST_GATE.move(
            req,
            _S.CORRECTED if corrected else _S.CONFIRMED,
            actor=officer,
            request=request,
            comment=note,
            fields={"final_amount": amount.quantize(Decimal("0.01")), "officer_note": note},
            unit_path=req.case.unit.path,
            subject_type="servant",
            subject_id=req.servant_id,
            before={"amount": str(req.amount)},
            after={"amount": str(amount)},
            detail=req.case.label,
        )
        claim = getattr(req, "claim", None)
        if claim is not None:  # the survivors: by e-mail, to the follow page
            mail_after_commit(
                claim.email,
                gettext("Ayni: la UGEL revisó el cálculo de su pedido %(case)s")
                % {"case": req.case.label},
                gettext(
                    "Siga su pedido %(case)s con el enlace que le enviamos al confirmarlo, o "
                    "con el número de expediente y su documento en:\n%(link)s"
                )
                % {
                    "case": req.case.label,
                    "link": f"{settings.SITE_URL}{reverse('benefits:survivor_follow')}",
                },
            )
        elif req.servant.user is not None:
            notify(
                recipient=req.servant.user,
                title=gettext("La UGEL revisó el cálculo de su pedido %(case)s")
                % {"case": req.case.label},
                link=reverse("benefits:request_detail", args=[req.uuid]),
            )
    return req


def today_lima() -> date:
    return lima_date(timezone.now())

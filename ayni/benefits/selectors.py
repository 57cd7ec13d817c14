"""Reads of the benefits app, scoped: the servant's own, or a payroll officer's scope."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from ayni.accounts.permissions import PAYROLL_MANAGE, perm_paths
from ayni.benefits.models import BenefitRequest, PaymentCertificate
from ayni.org.selectors import under_any
from ayni.personnel.selectors import own_servant


def my_certificates(user: Any) -> QuerySet[PaymentCertificate]:
    servant = own_servant(user)
    if servant is None:
        return PaymentCertificate.objects.none()
    return PaymentCertificate.objects.filter(servant=servant)


def officer_certificates(user: Any) -> QuerySet[PaymentCertificate]:
    """Constancias of servants in the officer's payroll scope, never their own."""
    return (
        PaymentCertificate.objects.filter(
            under_any(perm_paths(user, PAYROLL_MANAGE), "servant__employing_unit__path")
        )
        .exclude(servant__user=user)
        .select_related("servant")
    )


def get_certificate_for_user(user: Any, ref: UUID | str) -> tuple[PaymentCertificate, bool]:
    """(constancia, is_staff_read); 404 when missing or out of reach (indistinguishable)."""
    cert = (
        PaymentCertificate.objects.select_related("servant__employing_unit")
        .filter(uuid=ref)
        .first()
    )
    if cert is None:
        raise Http404
    if cert.servant.user_id is not None and cert.servant.user_id == user.pk:
        return cert, False
    if officer_certificates(user).filter(pk=cert.pk).exists():
        return cert, True
    raise Http404


def my_benefit_requests(user: Any) -> QuerySet[BenefitRequest]:
    servant = own_servant(user)
    if servant is None:
        return BenefitRequest.objects.none()
    return BenefitRequest.objects.filter(servant=servant).select_related("case")


def officer_benefit_requests(user: Any) -> QuerySet[BenefitRequest]:
    return (
        BenefitRequest.objects.filter(
            under_any(perm_paths(user, PAYROLL_MANAGE), "case__unit__path")
        )
        .exclude(Q(servant__user=user) | Q(case__filer=user))
        .select_related("case", "servant")
    )


def get_request_for_user(user: Any, ref: UUID | str) -> tuple[BenefitRequest, bool]:
    req = BenefitRequest.objects.select_related("case", "servant").filter(uuid=ref).first()
    if req is None:
        raise Http404
    if req.servant.user_id is not None and req.servant.user_id == user.pk:
        return req, False
    if officer_benefit_requests(user).filter(pk=req.pk).exists():
        return req, True
    raise Http404

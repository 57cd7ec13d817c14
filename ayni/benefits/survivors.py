"""The survivors' path: when the servant died, the spouse, children, parents or siblings
(who have no account) claim the subsidio por luto y sepelio through the public desk.

The same safeguards as an access request (ayni.desk.access): a challenge question and an
hourly limit per address, the e-mail confirmed before anything reaches the UGEL, codes
only after «#» in links, and the same page and mails whatever the documents typed (the
page never says whether a DNI belongs to a servant). On confirmation the case is numbered
and routed to Planillas; when the deceased servant is on the UGEL's rolls, the request
carries the preliminary computation (the fixed amount of the servant's regime).
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ayni.accounts.permissions import PAYROLL_MANAGE, handling_path
from ayni.accounts.validators import normalise_document
from ayni.benefits.models import Benefit, BenefitRequest, BenefitRule, SurvivorClaim
from ayni.benefits.requirements import luto_text
from ayni.benefits.rules import rule_on
from ayni.core.errors import UserError
from ayni.core.formats import soles
from ayni.core.notifications import mail_after_commit
from ayni.core.workqueue import work_item_close, work_item_post
from ayni.desk.cases import WORK_KIND, _hash, _open_case, _post_work, case_move
from ayni.desk.challenge import check_challenge
from ayni.desk.forms import UgelChooserMixin, region_field, unit_field
from ayni.desk.models import Case
from ayni.desk.uploads import CheckedPdf, store
from ayni.personnel.models import Servant

S = SurvivorClaim.State
DOCUMENTS = (
    ("acta", _("Acta o certificado de defunción del servidor")),
    ("parentesco", _("Documento que acredite su parentesco (partida o acta de matrimonio)")),
)


class SurvivorClaimForm(UgelChooserMixin, forms.Form):
    deceased_doc_number = forms.CharField(label=_("DNI del servidor fallecido"), max_length=8)
    deceased_name = forms.CharField(
        label=_("Apellidos y nombres del servidor fallecido"), max_length=160
    )
    relationship = forms.ChoiceField(
        label=_("Su parentesco con el servidor"),
        choices=[("", _("Elija")), *BenefitRequest.Relationship.choices],
    )
    doc_type = forms.ChoiceField(
        label=_("Su tipo de documento"),
        choices=[("01", _("DNI")), ("04", _("Carné de extranjería")), ("07", _("Pasaporte"))],
    )
    doc_number = forms.CharField(label=_("Su número de documento"), max_length=15)
    full_name = forms.CharField(label=_("Sus apellidos y nombres"), max_length=200)
    email = forms.EmailField(label=_("Su correo electrónico"))
    phone = forms.CharField(label=_("Su teléfono celular"), max_length=20, required=False)
    region = region_field()
    unit = unit_field()
    acta = forms.FileField(
        label=DOCUMENTS[0][1], widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    )
    parentesco = forms.FileField(
        label=DOCUMENTS[1][1], widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    )
    answer = forms.CharField(label=_("Pregunta de control"), max_length=4)
    challenge = forms.CharField(widget=forms.HiddenInput)
    website = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off", "class": "hp"}),
        label=_("No llenar"),
    )
    file_fields = ("acta", "parentesco")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("doc_type") and data.get("doc_number"):
            try:
                data["doc_number"] = normalise_document(data["doc_type"], data["doc_number"])
            except forms.ValidationError as exc:
                self.add_error("doc_number", exc)
        number = (data.get("deceased_doc_number") or "").strip()
        if number and not (number.isdigit() and len(number) == 8):
            self.add_error("deceased_doc_number", gettext("El DNI tiene 8 dígitos."))
        data["deceased_doc_number"] = number
        if data.get("website"):
            raise forms.ValidationError(gettext("No pudimos procesar la solicitud."))
        if not check_challenge(data.get("challenge", ""), data.get("answer", "")):
            self.add_error(
                "answer", gettext("La respuesta no es correcta. Intente con la nueva pregunta.")
            )
        self.check_region(data)
        return data


def _link(name: str, token: str) -> str:
    return f"{settings.SITE_URL}{reverse(name)}#{token}"


@transaction.atomic
def survivor_claim_submit(
    *, data: dict[str, Any], files: dict[str, CheckedPdf]
) -> tuple[SurvivorClaim, str]:
    """Store the claim and its documents; e-mail the confirmation link. Nothing reaches
    the UGEL until the address is confirmed."""
    confirm, follow = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    claim = SurvivorClaim.objects.create(
        doc_type=data["doc_type"],
        doc_number=data["doc_number"],
        full_name=" ".join(data["full_name"].upper().split())[:200],
        email=data["email"],
        phone=data.get("phone", ""),
        relationship=data["relationship"],
        deceased_doc_number=data["deceased_doc_number"],
        deceased_name=" ".join(data["deceased_name"].upper().split())[:160],
        unit=data["unit"],
        files=[
            {
                "stored": store("desk/deudos", pdf),
                "original": pdf.original_name,
                "sha256": pdf.sha256,
            }
            for _name, pdf in sorted(files.items())
        ],
        confirm_token_hash=_hash(confirm),
        follow_token_hash=_hash(follow),
    )
    mail_after_commit(
        claim.email,
        gettext("Ayni: confirme su pedido de subsidio por luto y sepelio"),
        gettext(
            "Recibimos un pedido de subsidio por luto y sepelio con este correo.\n\nPara "
            "enviarlo a la UGEL, confírmelo abriendo este enlace:\n%(link)s\n\n"
            "Si la página le pide el código, es este:\n%(code)s\n\n"
            "Si usted no lo hizo, ignore este mensaje."
        )
        % {"link": _link("benefits:survivor_confirm", confirm), "code": confirm},
    )
    return claim, confirm


def _deceased(claim: SurvivorClaim) -> Servant | None:
    return (
        Servant.objects.select_related("labor_regime", "employing_unit")
        .filter(
            doc_type="01",
            doc_number=claim.deceased_doc_number,
            employing_unit__path__startswith=claim.unit.path,
        )
        .first()
    )


@transaction.atomic
def survivor_claim_confirm(token: str) -> tuple[SurvivorClaim, str]:
    """The address is confirmed: the case is numbered, routed to Planillas and, when the
    deceased servant is on the UGEL's rolls, carries the computation."""
    token = token.strip()
    claim = (
        SurvivorClaim.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(confirm_token_hash=_hash(token))
        .first()
        if token
        else None
    )
    if claim is None:
        raise UserError(gettext("El enlace o el código no es válido."))
    if claim.state != S.UNCONFIRMED:
        return claim, ""
    pdfs = []
    for f in claim.files:
        with default_storage.open(f["stored"], "rb") as handle:
            pdfs.append(
                CheckedPdf(data=handle.read(), original_name=f["original"], sha256=f["sha256"])
            )
    label = str(Benefit.LUTO.label)
    case = _open_case(
        unit=claim.unit,
        kind=Case.Kind.OTHER,
        subject=gettext("%(benefit)s: pedido de deudos") % {"benefit": label},
        filer=None,
        name=claim.full_name,
        doc_type=claim.doc_type,
        doc_number=claim.doc_number,
        files=pdfs,
    )
    case_move(
        case,
        Case.State.ROUTED,
        actor=None,
        comment=gettext("Derivado a Planillas: subsidio por luto y sepelio pedido por deudos"),
        fields={"area": Case.Area.PLANILLAS},
    )
    request = _computation(claim, case)
    follow = secrets.token_urlsafe(32)
    SurvivorClaim.objects.filter(pk=claim.pk, state=S.UNCONFIRMED).update(
        state=S.RECEIVED,
        case=case,
        request=request,
        confirmed_at=timezone.now(),
        follow_token_hash=_hash(follow),
        updated_at=timezone.now(),
    )
    claim.refresh_from_db()
    if request is None:
        _post_work(case)  # no servant on the rolls: Planillas sees the case as it came
    mail_after_commit(
        claim.email,
        gettext("Ayni: su pedido es el %(case)s") % {"case": case.label},
        gettext(
            "Su pedido de subsidio por luto y sepelio llegó a %(unit)s como %(case)s.\n\n"
            "Puede seguirlo con este enlace:\n%(link)s\n\no con el número de expediente y "
            "su número de documento en la página de seguimiento."
        )
        % {
            "unit": claim.unit.name,
            "case": case.label,
            "link": _link("benefits:survivor_follow", follow),
        },
    )
    return claim, follow


def _computation(claim: SurvivorClaim, case: Case) -> BenefitRequest | None:
    servant = _deceased(claim)
    if servant is None or servant.labor_regime is None:
        return None
    rows = list(BenefitRule.objects.filter(regime_code=servant.labor_regime.code, benefit="luto"))
    rule = rule_on(rows, timezone.localdate()) or (rows[-1] if rows else None)
    if rule is None:
        return None
    amount = Decimal(str(rule.params["amount"]))
    req = BenefitRequest.objects.create(
        servant=servant,
        benefit=Benefit.LUTO,
        case=case,
        rule=rule,
        computation={
            "headline": gettext("Monto fijo del subsidio: %(amount)s.") % {"amount": soles(amount)},
            "rule_text": luto_text(str(amount)),
            "source": rule.source,
            "facts": [
                [gettext("Solicitante"), claim.full_name],
                [gettext("Parentesco declarado"), claim.get_relationship_display()],
            ],
            "missing": [
                gettext(
                    "Verificar el orden de prelación: cónyuge, hijos, padres, hermanos; entre "
                    "varios del mismo orden, en partes iguales."
                )
            ],
            "amount": str(amount),
            "computed_on": timezone.localdate().isoformat(),
        },
        amount=amount,
        relationship=claim.relationship,
        deceased_name=servant.full_name,
    )
    work_item_close(source_type="case", source_id=str(case.pk))
    work_item_post(
        kind=WORK_KIND,
        title=f"{case.label}: {Benefit.LUTO.label}",
        link=reverse("benefits:request_detail", args=[req.uuid]),
        unit_path=handling_path(case.unit.path, PAYROLL_MANAGE, None),
        permission=PAYROLL_MANAGE,
        source_type="case",
        source_id=str(case.pk),
    )
    return req


def follow_claim(
    *, token: str = "", number: str = "", doc_number: str = ""
) -> SurvivorClaim | None:
    """By the link's code, or by the case number and the claimant's document together."""
    base = SurvivorClaim.objects.select_related("case__unit", "request").filter(state=S.RECEIVED)
    if token.strip():
        return base.filter(follow_token_hash=_hash(token.strip())).first()
    digits = "".join(c for c in number if c.isdigit() or c == "-")
    try:
        seq, year = (int(x) for x in digits.split("-")[:2])
    except ValueError:
        return None
    doc = doc_number.strip().upper()
    if not doc:
        return None
    return base.filter(case__number=seq, case__year=year, doc_number=doc).first()

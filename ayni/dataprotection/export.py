"""«Mis datos»: everything Ayni holds about one person, as a ZIP with a machine-readable
JSON (datos.json), a readable PDF summary (resumen.pdf) and the stored documents.

The staff reads are those «¿Quién vio mi legajo?» lists (`core.audit.reads_of_subject`),
in full; the staff changes are the other events about the person written by someone
else. Built by a background task (`tasks.build_export_task`) with progress.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ayni.core import audit_actions
from ayni.core.audit import events_for_subject, reads_of_subject
from ayni.core.models import AuditEvent, Notification
from ayni.core.pdf import render_pdf
from ayni.core.workdays import in_lima, lima_dmy
from ayni.dataprotection.models import ArcoRequest, DataExport
from ayni.personnel.models import ChangeRequest, EntryVersion, Servant
from ayni.personnel.sections import SECTIONS, entry_values
from ayni.personnel.selectors import own_servant

TEMPLATE = Path(__file__).resolve().parent / "pdf" / "mis_datos.typ"
SUBJECT = "servant"
SIGN_IN_ACTIONS = ("auth.login", "auth.logout", "auth.login_failed", "auth.login_link_sent")

Progress = Callable[[int, int], None]


def _when(moment: datetime | None) -> str | None:
    return in_lima(moment).isoformat() if moment else None


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return _when(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    # Stored JSON (a payslip's header, a snapshot) stays JSON, not Python's text of it.
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _actor(user: Any) -> str:
    return (user.full_name or user.login_id) if user is not None else ""


def _roles(user: Any) -> list[str]:
    if user is None:
        return []
    return [
        f"{g.get_role_display()} · {g.unit.name}"
        for g in user.role_grants.filter(active=True).select_related("unit")
    ]


def _event(event: AuditEvent, roles: dict[int, list[str]]) -> dict[str, Any]:
    return {
        "id": event.pk,
        "cuando": _when(event.occurred_at),
        "quien": _actor(event.actor) if event.actor_id else _("Sistema Ayni (proceso automático)"),
        "funciones": roles.get(event.actor_id or 0, []),
        "que": audit_actions.sentence(event.action),
        "accion": event.action,
        "detalle": event.detail,
        "unidad": event.unit_path,
        "ip": event.client_ip,
    }


def _events(queryset: Any) -> list[dict[str, Any]]:
    events = list(queryset.select_related("actor").order_by("occurred_at", "id"))
    actors = {e.actor_id: e.actor for e in events if e.actor_id}
    roles = {pk: _roles(user) for pk, user in actors.items()}
    return [_event(e, roles) for e in events]


# --- the parts --------------------------------------------------------------------------------


def _account(user: Any) -> dict[str, Any]:
    return {
        "usuario": user.login_id,
        "nombre": user.full_name,
        "correo": user.email,
        "telefono": user.phone,
        "cuenta_creada": _when(user.date_joined),
        "aviso_privacidad_aceptado": _when(user.privacy_accepted_at),
    }


def _servant(servant: Servant) -> dict[str, Any]:
    return {
        "documento": f"{servant.get_doc_type_display()} {servant.doc_number}",
        "apellidos_y_nombres": servant.full_name,
        "fecha_nacimiento": _jsonable(servant.birth_date) if servant.birth_date else None,
        "sexo": servant.get_sex_display(),
        "unidad": servant.employing_unit.name,
        "institucion_educativa": str(servant.school) if servant.school_id else None,
        "tipo": servant.get_kind_display(),
        "condicion": servant.get_condition_display(),
        "situacion": servant.get_status_display(),
        "cargo": servant.position,
        "regimen_laboral": str(servant.labor_regime) if servant.labor_regime_id else None,
        "regimen_pensionario": str(servant.pension_regime) if servant.pension_regime_id else None,
        "escala": str(servant.escala) if servant.escala_id else None,
        "jornada_horas": servant.weekly_hours,
    }


def _file(servant: Servant) -> list[dict[str, Any]]:
    sections = []
    for section in SECTIONS:
        kinds = []
        for kind in section.kinds:
            rows = kind.model.objects.filter(servant=servant)  # type: ignore[attr-defined]
            kinds.append(
                {
                    "tipo": str(kind.label),
                    "clave": kind.key,
                    "registros": [
                        {"id": str(e.uuid), "version": e.version, **entry_values(kind, e)}
                        for e in rows
                    ],
                }
            )
        sections.append({"seccion": f"{section.roman}. {section.title}", "tipos": kinds})
    return sections


def _versions(servant: Servant) -> list[dict[str, Any]]:
    return [
        {
            "tipo": v.kind,
            "registro": str(v.entry_uuid),
            "version": v.version,
            "operacion": v.get_operation_display(),
            "antes": v.before,
            "despues": v.after,
            "quien": _actor(v.actor),
            "cuando": _when(v.at),
            "nota": v.note,
        }
        for v in EntryVersion.objects.filter(servant=servant)
        .select_related("actor")
        .order_by("at", "id")
    ]


def _change_requests(servant: Servant) -> list[dict[str, Any]]:
    out = []
    for cr in ChangeRequest.objects.filter(servant=servant).prefetch_related("events__actor"):
        out.append(
            {
                "id": str(cr.uuid),
                "presentada": _when(cr.created_at),
                "tipo": cr.kind_label,
                "operacion": cr.get_operation_display(),
                "propuesto": cr.proposed,
                "comentario": cr.comment,
                "estado": cr.get_state_display(),
                "observacion": cr.observation,
                "respuesta": cr.resolution_note,
                "historial": [
                    {
                        "de": ev.from_state,
                        "a": ev.to_state,
                        "quien": _actor(ev.actor),
                        "cuando": _when(ev.at),
                        "comentario": ev.comment,
                    }
                    for ev in cr.events.all()
                ],
            }
        )
    return out


def _payslips(user: Any) -> list[Any]:
    from ayni.payroll.selectors import visible_payslips

    return list(visible_payslips(user).order_by("year", "month", "id"))


def _reports(servant: Servant) -> tuple[list[Any], list[Any]]:
    from ayni.reports.models import Resume, ServiceReport

    return (
        list(ServiceReport.objects.filter(servant=servant).select_related("unit")),
        list(Resume.objects.filter(servant=servant)),
    )


def _cases(user: Any) -> list[Any]:
    from ayni.desk.models import Case

    return list(
        Case.objects.filter(filer=user).prefetch_related("files", "events__actor").order_by("id")
    )


# --- building -----------------------------------------------------------------------------


# Models read above, in full or as the person sees them; every other model naming the
# person (a servant or a user field) goes to «otros_registros», secrets left out.
COVERED_APPS = {"core", "personnel", "dataprotection", "auth", "admin", "contenttypes"}
COVERED_MODELS = {"payroll.payslip", "reports.resume", "reports.servicereport", "desk.case"}
OWNER_FIELDS = {"servant", "user", "requester", "filer"}
SECRET = re.compile(r"hash|token|key|secret|password|otp|code_", re.I)
OTHER_LIMIT = 2000


def _value(obj: Any, field: Any) -> Any:
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    value = getattr(obj, field.attname)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return _jsonable(value)


def _other_records(user: Any, servant: Servant | None) -> dict[str, list[dict[str, Any]]]:
    from django.apps import apps

    out: dict[str, list[dict[str, Any]]] = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label in COVERED_APPS or meta.label_lower in COVERED_MODELS:
            continue
        query = Q(pk__in=[])
        for field in meta.concrete_fields:
            if not (field.is_relation and field.name in OWNER_FIELDS):
                continue
            if field.related_model is Servant and servant is not None:
                query |= Q(**{field.name: servant})
            elif field.related_model is type(user):
                query |= Q(**{field.name: user})
        if query == Q(pk__in=[]):
            continue
        fields = [f for f in meta.concrete_fields if not SECRET.search(f.name)]
        rows = [
            {f.name: _value(obj, f) for f in fields}
            for obj in model._default_manager.filter(query).order_by("pk")[:OTHER_LIMIT]
        ]
        if rows:
            out[f"{meta.verbose_name_plural} ({meta.label_lower})"] = rows
    return out


def collect(user: Any) -> tuple[dict[str, Any], list[tuple[str, Callable[[], bytes]]]]:
    """The JSON document and the documents to add (ZIP name, reader), for `user`."""
    from ayni.desk.receipts import receipt_pdf
    from ayni.payroll.pdf import payslip_pdf
    from ayni.reports.services import report_pdf, resume_pdf

    servant = own_servant(user)
    files: list[tuple[str, Callable[[], bytes]]] = []
    data: dict[str, Any] = {
        "generado": _when(timezone.now()),
        "responsable": _("Ministerio de Educación del Perú — Sistema Ayni"),
        "norma": _("Ley N.° 29733 y su reglamento (D.S. N.° 016-2024-JUS)"),
        "cuenta": _account(user),
    }
    if servant is not None:
        data["servidor"] = _servant(servant)
        data["legajo"] = _file(servant)
        data["versiones_del_legajo"] = _versions(servant)
        data["solicitudes_de_modificacion"] = _change_requests(servant)
        payslips = _payslips(user)
        data["boletas"] = []
        for p in payslips:
            name = f"boletas/{p.filename}"
            if any(n == name for n, _r in files):
                name = f"boletas/boleta-{p.year}-{p.month:02d}-{p.pk}.pdf"
            data["boletas"].append(
                {
                    "periodo": p.period_label,
                    "planilla": p.run.get_kind_display(),
                    "fecha_pago": p.payment_date.isoformat(),
                    "total_ingresos": str(p.gross),
                    "total_descuentos": str(p.deductions),
                    "neto": str(p.net),
                    "codigo_verificacion": p.verification_code,
                    "archivo": name,
                }
            )
            files.append((name, partial(payslip_pdf, p)))
        reports, resumes = _reports(servant)
        data["informes_escalafonarios"] = []
        for r in reports:
            name = f"informes/informe-{r.year}-{r.number:05d}.pdf"
            data["informes_escalafonarios"].append(
                {
                    "numero": r.label,
                    "emitido": _when(r.issued_at),
                    "vigente_hasta": r.valid_until.isoformat(),
                    "estado": r.get_state_display(),
                    "codigo_verificacion": r.verification_code,
                    "archivo": name,
                }
            )
            files.append((name, partial(report_pdf, r)))
        data["hojas_de_vida"] = []
        for index, resume in enumerate(resumes, start=1):
            name = f"hojas-de-vida/hoja-de-vida-{index:02d}.pdf"
            data["hojas_de_vida"].append(
                {
                    "generada": _when(resume.created_at),
                    "codigo_verificacion": resume.verification_code,
                    "archivo": name,
                }
            )
            files.append((name, partial(resume_pdf, resume)))
        data["lecturas_del_personal"] = _events(reads_of_subject(SUBJECT, servant.pk))
        data["cambios_del_personal"] = _events(
            events_for_subject(SUBJECT, servant.pk)
            .exclude(action__in=audit_actions.codes(read=True))
            .exclude(actor=user)
        )
    data["tramites_mesa_de_partes"] = []
    for case in _cases(user):
        folder = f"mesa-de-partes/{case.year}-{case.number:06d}"
        attachments = []
        for index, f in enumerate(case.files.all(), start=1):
            name = f"{folder}/{index:02d}-{Path(f.original_name).name or 'archivo.pdf'}"
            attachments.append({"archivo": name, "sha256": f.sha256, "tamano": f.size})
            files.append((name, partial(_read_stored, f.stored_name)))
        receipt = f"{folder}/cargo.pdf"
        files.append((receipt, partial(receipt_pdf, case)))
        data["tramites_mesa_de_partes"].append(
            {
                "expediente": case.label,
                "tipo": case.get_kind_display(),
                "asunto": case.subject,
                "presentado": _when(case.submitted_at),
                "recibido": _when(case.received_at),
                "estado": case.get_state_display(),
                "adjuntos": attachments,
                "cargo": receipt,
                "historial": [
                    {
                        "de": ev.from_state,
                        "a": ev.to_state,
                        "area": ev.area,
                        "quien": _actor(ev.actor),
                        "cuando": _when(ev.at),
                        "comentario": ev.comment,
                    }
                    for ev in case.events.all()
                ],
            }
        )
    data["avisos"] = [
        {"cuando": _when(n.created_at), "aviso": n.title, "leido": _when(n.read_at)}
        for n in Notification.objects.filter(recipient=user).order_by("created_at", "id")
    ]
    data["ingresos"] = _events(AuditEvent.objects.filter(actor=user, action__in=SIGN_IN_ACTIONS))
    data["otros_registros"] = _other_records(user, servant)
    data["solicitudes_arco"] = [
        {
            "derecho": a.get_right_display(),
            "pedido": a.detail,
            "recibida": _when(a.received_at),
            "plazo_dias_habiles": a.term_days,
            "vence": a.due_date.isoformat(),
            "estado": a.get_state_display(),
            "respuesta": a.answer,
        }
        for a in ArcoRequest.objects.filter(requester=user).order_by("created_at")
    ]
    return data, files


def _read_stored(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return bytes(handle.read())


def summary_pdf(user: Any, data: dict[str, Any], export: DataExport) -> bytes:
    counts = [
        (
            _("Registros del legajo"),
            sum(len(k["registros"]) for s in data.get("legajo", []) for k in s["tipos"]),
        ),
        (_("Versiones del legajo"), len(data.get("versiones_del_legajo", []))),
        (_("Solicitudes de modificación"), len(data.get("solicitudes_de_modificacion", []))),
        (_("Boletas de pago"), len(data.get("boletas", []))),
        (_("Informes escalafonarios"), len(data.get("informes_escalafonarios", []))),
        (_("Hojas de vida"), len(data.get("hojas_de_vida", []))),
        (_("Trámites de mesa de partes"), len(data["tramites_mesa_de_partes"])),
        (_("Avisos"), len(data["avisos"])),
        (_("Ingresos y salidas de su cuenta"), len(data["ingresos"])),
        (_("Lecturas de sus datos por el personal"), len(data.get("lecturas_del_personal", []))),
        (_("Cambios de sus datos por el personal"), len(data.get("cambios_del_personal", []))),
        (_("Solicitudes de derechos ARCO"), len(data["solicitudes_arco"])),
    ]

    def row(e: dict[str, Any]) -> list[str]:
        when = datetime.fromisoformat(e["cuando"])
        who = e["quien"] or "—"
        if e["funciones"]:
            who += " (" + "; ".join(e["funciones"]) + ")"
        return [
            when.strftime("%d/%m/%Y %H:%M"),
            who,
            (e["que"] + (f": {e['detalle']}" if e["detalle"] else "")),
        ]

    now = timezone.now()
    document = {
        "issuer": _("Protección de datos personales"),
        "issued_on": lima_dmy(now),
        "code": str(export.uuid)[:8].upper(),
        "verify_url": f"{settings.SITE_URL}/",
        "name": user.full_name or user.login_id,
        "login": user.login_id,
        "generated": in_lima(now).strftime("%d/%m/%Y %H:%M"),
        "counts": [[str(label), str(n)] for label, n in counts],
        "reads": [row(e) for e in data.get("lecturas_del_personal", [])],
        "changes": [row(e) for e in data.get("cambios_del_personal", [])],
        "signins": [row(e) for e in data["ingresos"]][-100:],
    }
    return render_pdf(TEMPLATE, document, timestamp=now, qr_payload=f"{settings.SITE_URL}/")


def build_zip(
    user: Any, export: DataExport, progress: Progress | None = None
) -> tuple[str, int, str]:
    """Write the ZIP to storage; answer (stored name, size, sha256)."""
    data, files = collect(user)
    total = len(files) + 2
    if progress:
        progress(0, total)
    with tempfile.TemporaryFile() as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                "datos.json", json.dumps(data, ensure_ascii=False, indent=2, default=_jsonable)
            )
            archive.writestr("resumen.pdf", summary_pdf(user, data, export))
            if progress:
                progress(2, total)
            for index, (name, read) in enumerate(files, start=3):
                try:
                    archive.writestr(name, read())
                except FileNotFoundError:
                    archive.writestr(name + ".falta.txt", _("El archivo no se encontró."))
                if progress and (index % 5 == 0 or index == total):
                    progress(index, total)
        size = tmp.tell()
        tmp.seek(0)
        digest = hashlib.sha256()
        for chunk in iter(lambda: tmp.read(1 << 20), b""):
            digest.update(chunk)
        tmp.seek(0)
        name = default_storage.save(f"dataprotection/exports/{export.uuid}.zip", File(tmp))
    return name, size, digest.hexdigest()


def iter_range(name: str, start: int, length: int, chunk: int = 64 * 1024) -> Iterator[bytes]:
    """`length` bytes of a stored file from `start`."""
    with default_storage.open(name, "rb") as handle:
        handle.seek(start)
        left = length
        while left > 0:
            block = handle.read(min(chunk, left))
            if not block:
                break
            left -= len(block)
            yield block

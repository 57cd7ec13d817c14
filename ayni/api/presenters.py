"""Model rows as the API's JSON: what the pages show, by the same selectors."""

from __future__ import annotations

from typing import Any

from ninja import Schema

from ayni.personnel.file_selectors import compute_service_time, section_entries
from ayni.personnel.models import ChangeRequest, Servant
from ayni.personnel.sections import SECTION_OF_KIND, SECTIONS, Section, entry_values

# --- shapes ---------------------------------------------------------------------------


class ServantOut(Schema):
    id: str
    documento: str
    apellidos: str
    nombres: str
    unidad: str
    unidad_codigo: str
    institucion: str | None
    cargo: str
    condicion: str
    estado: str


class ServiceTimeOut(Schema):
    anios: int
    meses: int
    dias: int
    texto: str


class EntryOut(Schema):
    id: str
    version: int
    valores: dict[str, Any]


class KindOut(Schema):
    clave: str
    nombre: str
    registros: list[EntryOut]


class SectionOut(Schema):
    numero: int
    romano: str
    slug: str
    titulo: str
    tipos: list[KindOut]


class SectionRef(Schema):
    numero: int
    romano: str
    slug: str
    titulo: str


class FileOut(Schema):
    servidor: ServantOut
    tiempo_servicios: ServiceTimeOut
    secciones: list[SectionOut]


class FileHomeOut(Schema):
    servidor: ServantOut
    tiempo_servicios: ServiceTimeOut
    secciones: list[SectionRef]


class RequestOut(Schema):
    id: str
    servidor: str
    seccion: int
    tipo: str
    operacion: str
    estado: str
    estado_texto: str
    comentario: str
    observacion: str
    plazo_subsanar: str | None
    respuesta: str
    valores_actuales: dict[str, Any] | None
    valores_propuestos: dict[str, Any] | None
    creada: str


# --- rows -------------------------------------------------------------------------------


def servant_out(servant: Servant) -> dict[str, Any]:
    return {
        "id": str(servant.uuid),
        "documento": f"{servant.get_doc_type_display()} {servant.doc_number}",
        "apellidos": f"{servant.paternal_surname} {servant.maternal_surname}".strip(),
        "nombres": servant.given_names,
        "unidad": servant.employing_unit.name,
        "unidad_codigo": servant.employing_unit.code,
        "institucion": servant.school.name if servant.school else None,
        "cargo": servant.position,
        "condicion": servant.get_condition_display(),
        "estado": servant.get_status_display(),
    }


def service_time_out(servant: Servant) -> dict[str, Any]:
    total = compute_service_time(servant).total
    return {"anios": total.years, "meses": total.months, "dias": total.days, "texto": str(total)}


def section_ref(section: Section) -> dict[str, Any]:
    return {
        "numero": section.number,
        "romano": section.roman,
        "slug": section.slug,
        "titulo": str(section.title),
    }


def section_out(servant: Servant, section: Section) -> dict[str, Any]:
    return {
        **section_ref(section),
        "tipos": [
            {
                "clave": kind.key,
                "nombre": str(kind.label),
                "registros": [
                    {
                        "id": str(entry.uuid),
                        "version": entry.version,
                        "valores": entry_values(kind, entry),
                    }
                    for entry in entries
                ],
            }
            for kind, entries in section_entries(servant, section)
        ],
    }


def whole_file(servant: Servant) -> dict[str, Any]:
    return {
        "servidor": servant_out(servant),
        "tiempo_servicios": service_time_out(servant),
        "secciones": [section_out(servant, section) for section in SECTIONS],
    }


def request_out(cr: ChangeRequest) -> dict[str, Any]:
    section = SECTION_OF_KIND.get(cr.kind)
    return {
        "id": str(cr.uuid),
        "servidor": str(cr.servant.uuid),
        "seccion": section.number if section else cr.section,
        "tipo": cr.kind,
        "operacion": cr.operation,
        "estado": cr.state,
        "estado_texto": cr.get_state_display(),
        "comentario": cr.comment,
        "observacion": cr.observation,
        "plazo_subsanar": cr.observed_until.isoformat() if cr.observed_until else None,
        "respuesta": cr.resolution_note,
        "valores_actuales": cr.current,
        "valores_propuestos": cr.proposed,
        "creada": cr.created_at.isoformat(),
    }

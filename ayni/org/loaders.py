"""Idempotent loaders for the org tree and the catalogues shipped in ayni/data/."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from ayni.core.models import Holiday
from ayni.org.models import (
    DocumentType,
    Escala,
    LaborRegime,
    OrgUnit,
    PayrollConcept,
    PensionRegime,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MINEDU_CODE = "000000"
MINEDU_NAME = "MINISTERIO DE EDUCACIÓN"
LOGIN_DOCUMENT_TYPES = {"01": "DNI", "04": "Carné de extranjería", "07": "Pasaporte"}


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0

    def __str__(self) -> str:
        return f"{self.created} creados, {self.updated} actualizados"


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _upsert(result: LoadResult, model: Any, code: str, **fields: object) -> Any:
    obj, created = model.objects.update_or_create(code=code, defaults=fields)
    if created:
        result.created += 1
    else:
        result.updated += 1
    return obj


def _unit_path(parent: OrgUnit | None, code: str) -> str:
    return f"{parent.path if parent else '/'}{code}/"


@transaction.atomic
def load_org_tree(csv_name: str = "minedu_dre_ugel_2024.csv") -> LoadResult:
    """MINEDU, its DRE/GRE and their UGEL. Each UGEL's parent is the row's `cod_dre`."""
    result = LoadResult()
    minedu = _upsert(
        result,
        OrgUnit,
        MINEDU_CODE,
        kind=OrgUnit.Kind.MINEDU,
        name=MINEDU_NAME,
        parent=None,
        path=_unit_path(None, MINEDU_CODE),
    )
    assert isinstance(minedu, OrgUnit)
    rows = _rows(csv_name)
    dres: dict[str, OrgUnit] = {}
    for row in rows:
        code = row["cod_dre"].strip()
        if code not in dres:
            dre = _upsert(
                result,
                OrgUnit,
                code,
                kind=OrgUnit.Kind.DRE,
                name=row["dre_nombre"].strip(),
                parent=minedu,
                path=_unit_path(minedu, code),
            )
            assert isinstance(dre, OrgUnit)
            dres[code] = dre
    for row in rows:
        parent = dres[row["cod_dre"].strip()]
        code = row["cod_ugel"].strip()
        _upsert(
            result,
            OrgUnit,
            code,
            kind=OrgUnit.Kind.UGEL,
            name=row["ugel_nombre"].strip(),
            parent=parent,
            path=_unit_path(parent, code),
        )
    return result


@transaction.atomic
def load_catalogues() -> LoadResult:
    result = LoadResult()
    for row in _rows("sunat_tabla3_tipo_documento.csv"):
        code = row["codigo"]
        _upsert(
            result,
            DocumentType,
            code,
            name=row["descripcion"],
            usable_for_login=code in LOGIN_DOCUMENT_TYPES,
            short_name=LOGIN_DOCUMENT_TYPES.get(code, ""),
        )
    for name in ("sunat_tabla11_regimen_pensionario.csv", "ayni_regimen_pensionario_extra.csv"):
        for row in _rows(name):
            code = row["codigo"]
            system = (
                "ONP"
                if code == "02"
                else "DL20530"
                if code == "03"
                else "AFP"
                if code.startswith("2")
                else "OTRO"
            )
            _upsert(result, PensionRegime, code, name=row["descripcion"], system=system)
    for name in ("sunat_tabla33_regimen_laboral.csv", "ayni_regimen_laboral_extra.csv"):
        for row in _rows(name):
            _upsert(result, LaborRegime, row["codigo"], name=row["descripcion"])
    for row in _rows("ayni_escalas.csv"):
        _upsert(
            result,
            Escala,
            row["codigo"],
            name=row["descripcion"],
            regime=LaborRegime.objects.get(code=row["regimen"]),
        )
    for row in _rows("sunat_tabla22_conceptos.csv"):
        _upsert(
            result,
            PayrollConcept,
            row["codigo"],
            name=row["descripcion"],
            kind=row["tipo"],
            allowed_in_rem=row["permitido_en_rem"] == "SI",
            subject_essalud=row["afecto_essalud"] == "SI",
            subject_onp=row["afecto_onp"] == "SI",
            subject_afp=row["afecto_afp"] == "SI",
            subject_income_tax=row["afecto_renta5ta"] == "SI",
        )
    for row in _rows("feriados_peru.csv"):
        Holiday.objects.update_or_create(date=row["fecha"], defaults={"name": row["nombre"]})
    return result

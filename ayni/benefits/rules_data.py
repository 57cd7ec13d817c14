"""The benefit rules Ayni ships, one row per regime, benefit and period in force.

A new law is a new row (here, then `ensure_rules()`, or in the admin), never a release.
Sources are cited only as far as the text of the norm was checked (docs/decisions.md,
«Benefits»): where an article could not be checked, the law alone is named.
Regime codes: SUNAT Tabla 33 and ayni_regimen_laboral_extra.csv.
"""

from __future__ import annotations

from datetime import date
from typing import Any

L29944_FROM = date(2012, 11, 26)  # Ley 29944 in force (published 25/11/2012)
L31451_FROM = date(2022, 4, 14)  # Ley 31451 (published 13/04/2022) in force
DU011_FROM = date(2017, 9, 1)  # D.U. 011-2017, art. 3.1: from 1 September 2017
AUX_FROM = date(2016, 1, 1)  # placeholder start for the auxiliaries' rows (see decisions)
DL276_FROM = date(1984, 3, 25)

RULES: list[dict[str, Any]] = [
    # --- Ley 29944, Reforma Magisterial (appointed teachers) -----------------------------
    {
        "regime_code": "L29944",
        "benefit": "ats25",
        "valid_from": L29944_FROM,
        "params": {"years": 25, "multiplier": "2", "base": "rim", "counts_contract": True},
        "source": "Ley N.° 29944, Ley de Reforma Magisterial; servicios que se computan: "
        "Décima Primera Disposición Complementaria, Transitoria y Final",
    },
    {
        "regime_code": "L29944",
        "benefit": "ats30",
        "valid_from": L29944_FROM,
        "params": {"years": 30, "multiplier": "2", "base": "rim", "counts_contract": True},
        "source": "Ley N.° 29944, Ley de Reforma Magisterial; servicios que se computan: "
        "Décima Primera Disposición Complementaria, Transitoria y Final",
    },
    {
        "regime_code": "L29944",
        "benefit": "cts",
        "valid_from": L29944_FROM,
        "valid_to": date(2022, 4, 13),
        "params": {"percent": "14", "base": "rim", "max_years": 30, "fraction_months": 6},
        "source": "Ley N.° 29944, art. 63 (texto original)",
    },
    {
        "regime_code": "L29944",
        "benefit": "cts",
        "valid_from": L31451_FROM,
        "params": {"percent": "100", "base": "rim", "max_years": None, "fraction_months": 6},
        "source": "Ley N.° 29944, art. 63, modificado por la Ley N.° 31451",
    },
    {
        "regime_code": "L29944",
        "benefit": "cese_edad",
        "valid_from": L29944_FROM,
        "valid_to": date(2022, 4, 13),
        "params": {"age": 65, "on": "birthday"},
        "source": "Ley N.° 29944, art. 53, literal d) (texto original)",
    },
    {
        "regime_code": "L29944",
        "benefit": "cese_edad",
        "valid_from": L31451_FROM,
        "params": {"age": 65, "on": "dec31"},
        "source": "Ley N.° 29944, art. 53, literal d), modificado por la Ley N.° 31451",
    },
    {
        "regime_code": "L29944",
        "benefit": "luto",
        "valid_from": L29944_FROM,
        "params": {"amount": "3000.00"},
        "source": "Ley N.° 29944, art. 62; Reglamento (D.S. N.° 004-2013-ED), art. 135",
    },
    # --- Ley 30328 / 31278, contract teachers --------------------------------------------
    {
        "regime_code": "L30328",
        "benefit": "cts",
        "valid_from": DU011_FROM,
        "params": {
            "percent": "14",
            "base": "remuneracion",
            "max_years": None,
            "fraction_months": 6,
        },
        "source": "Ley N.° 30328; D.U. N.° 011-2017, art. 3.1",
    },
    {
        "regime_code": "L30328",
        "benefit": "luto",
        "valid_from": DU011_FROM,
        "params": {"amount": "3000.00"},
        "source": "D.U. N.° 011-2017, art. 3.1",
    },
    # --- Ley 30493 / 32031, auxiliares de educación --------------------------------------
    {
        "regime_code": "L30493",
        "benefit": "ats25",
        "valid_from": AUX_FROM,
        "params": {"years": 25, "multiplier": "2", "base": "rim", "counts_contract": True},
        "source": "Ley N.° 30493, art. 2, literal f)",
    },
    {
        "regime_code": "L30493",
        "benefit": "ats30",
        "valid_from": AUX_FROM,
        "params": {"years": 30, "multiplier": "2", "base": "rim", "counts_contract": True},
        "source": "Ley N.° 30493, art. 2, literal f)",
    },
    {
        "regime_code": "L30493",
        "benefit": "cts",
        "valid_from": AUX_FROM,
        "params": {"percent": "14", "base": "rim", "max_years": None, "fraction_months": 6},
        "source": "Ley N.° 30493, art. 2, literal f)",
    },
    {
        "regime_code": "L30493",
        "benefit": "cese_edad",
        "valid_from": AUX_FROM,
        "params": {"age": 70, "on": "dec31"},
        "source": "Ley N.° 30493, modificada por la Ley N.° 32031",
    },
    # --- D. Leg. 276, administrative staff -----------------------------------------------
    {
        "regime_code": "02",
        "benefit": "ats25",
        "valid_from": DL276_FROM,
        "params": {
            "years": 25,
            "multiplier": "2",
            "base": "remuneracion_total",
            "counts_contract": True,
        },
        "source": "Decreto Legislativo N.° 276, art. 54, literal a)",
    },
    {
        "regime_code": "02",
        "benefit": "ats30",
        "valid_from": DL276_FROM,
        "params": {
            "years": 30,
            "multiplier": "3",
            "base": "remuneracion_total",
            "counts_contract": True,
        },
        "source": "Decreto Legislativo N.° 276, art. 54, literal a)",
    },
    {
        "regime_code": "02",
        "benefit": "cese_edad",
        "valid_from": DL276_FROM,
        "params": {"age": 70, "on": "birthday"},
        "source": "Decreto Legislativo N.° 276, art. 35, literal a)",
    },
]


def ensure_rules(model: Any = None) -> int:
    """Create the shipped rows that are missing (idempotent); returns how many."""
    if model is None:
        from ayni.benefits.models import BenefitRule

        model = BenefitRule
    created = 0
    for row in RULES:
        _, made = model.objects.get_or_create(
            regime_code=row["regime_code"],
            benefit=row["benefit"],
            valid_from=row["valid_from"],
            defaults={
                "valid_to": row.get("valid_to"),
                "params": row["params"],
                "source": row["source"],
            },
        )
        created += made
    return created

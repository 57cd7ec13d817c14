"""Reads on the org tree."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from ayni.org.models import OrgUnit


def subtree(unit: OrgUnit) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(path__startswith=unit.path)


def under_any(paths: list[str], field: str = "path") -> Q:
    """A filter for rows whose `field` (a unit path) lies under any of `paths`."""
    if not paths:
        return Q(pk__in=[])
    query = Q()
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query


def top_paths(paths: list[str]) -> list[str]:
    """Drop the paths already covered by an ancestor in the list."""
    result: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(kept) for kept in result):
            result.append(path)
    return sorted(result)


# --- choosing a UGEL: region first, then its UGELs, each named so it is unique -------

_ACRONYMS = {"UGEL", "DRE", "GRE"}
_PARTICLES = {"DE", "DEL", "LA", "LAS", "LOS", "EL", "Y", "E"}
_PREFIXES = ("DRE ", "GRE ", "UGEL ")


def _word(word: str, first: bool) -> str:
    if word in _ACRONYMS or any(ch.isdigit() for ch in word):
        return word
    if word in _PARTICLES and not first:
        return word.lower()
    return "-".join(part.capitalize() for part in word.split("-"))


def display_name(name: str) -> str:
    """«UGEL SANTIAGO DE CHUCO» → «UGEL Santiago de Chuco», «UGEL 01 EL PORVENIR» →
    «UGEL 01 El Porvenir»; acronyms and numbers kept."""
    words = name.split()
    out: list[str] = []
    for i, word in enumerate(words):
        # a name starts after «UGEL» and after a number: «UGEL 01 El Porvenir»
        before = words[i - 1] if i else ""
        first = i == 0 or before in _ACRONYMS or before.isdigit()
        out.append(_word(word, first))
    return " ".join(out)


def _bare(name: str) -> str:
    """The unit's own name without «DRE »/«GRE »/«UGEL »: «GRE AREQUIPA» → «Arequipa»."""
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            return display_name(name[len(prefix) :])
    return display_name(name)


def _sort_key(label: str) -> str:
    return unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().casefold()


@dataclass(frozen=True)
class UgelGroup:
    region: OrgUnit
    label: str  # «GRE Arequipa»
    ugels: list[tuple[int, str]]  # (pk, unique label)


def ugel_groups() -> list[UgelGroup]:
    """Every UGEL grouped under its DRE/GRE, regions and UGELs in alphabetical order.
    A UGEL whose name is shared with another UGEL carries its region's name in
    brackets («UGEL La Unión (Arequipa)» and «UGEL La Unión (Piura)»); two queries."""
    regions = {
        unit.pk: unit
        for unit in OrgUnit.objects.filter(kind=OrgUnit.Kind.DRE).only("pk", "name", "path")
    }
    ugels = list(
        OrgUnit.objects.filter(kind=OrgUnit.Kind.UGEL, parent_id__in=regions).only(
            "pk", "name", "parent_id", "code"
        )
    )
    seen = Counter(unit.name.strip().upper() for unit in ugels)
    labels: dict[int, str] = {}
    for unit in ugels:
        label = display_name(unit.name.strip())
        if seen[unit.name.strip().upper()] > 1:
            label = f"{label} ({_bare(regions[unit.parent_id].name)})"  # type: ignore[index]
        labels[unit.pk] = label
    twice = Counter(labels.values())
    by_region: dict[int, list[tuple[int, str]]] = {}
    for unit in ugels:
        label = labels[unit.pk]
        if twice[label] > 1:  # the same name twice in one region: the code tells them apart
            label = f"{label}, código {unit.code}"
        by_region.setdefault(unit.parent_id, []).append((unit.pk, label))  # type: ignore[arg-type]
    groups = []
    for pk, items in by_region.items():
        region = regions[pk]
        items.sort(key=lambda item: _sort_key(item[1]))
        groups.append(UgelGroup(region=region, label=display_name(region.name), ugels=items))
    groups.sort(key=lambda group: _sort_key(_bare(group.region.name)))
    return groups

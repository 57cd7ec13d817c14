"""Turn entries and requests into what templates print: labels and display values."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from typing import Any
from uuid import UUID

from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from ayni.core.words import per_language
from ayni.personnel.models import ChangeRequest, EntryVersion, FileEntry
from ayni.personnel.sections import (
    KINDS,
    SECTION_OF_KIND,
    EntryKind,
    display_value,
    entry_values,
    field_label,
)


@dataclass
class EntryRow:
    entry: FileEntry
    cells: list[tuple[str, str]]  # (column label, value)
    open_request: ChangeRequest | None
    edit_url: str = ""  # staff's «Corregir» and «Eliminar» (`with_staff_links`)
    remove_url: str = ""

    @property
    def cells_html(self) -> str:
        """The row's cells as the table prints them, escaped, in one string (one template
        variable a row instead of two a cell: the file page prints about 200 cells).
        Escaped with the standard library's `html.escape`, which Django's `escape` wraps
        (the same output, without a lazy-string check and a format per cell)."""
        return mark_safe(  # noqa: S308 - every piece is escaped here
            "".join(
                f'<td data-label="{escape(label)}">{escape(value)}</td>'
                for label, value in self.cells
            )
        )


@dataclass
class KindTable:
    kind: EntryKind
    headers: list[str]
    rows: list[EntryRow]
    new_url: str = ""  # staff's «Registrar» (`with_staff_links`)
    body: str = ""  # the rows as printed (`with_row_html`)
    html: str = ""  # the whole block as printed (`with_row_html`)


def kind_table(
    kind: EntryKind, entries: list[Any], open_requests: dict[Any, ChangeRequest] | None = None
) -> KindTable:
    open_requests = open_requests or {}
    headers = [field_label(kind, f) for f in kind.columns]
    return KindTable(
        kind=kind,
        headers=headers,
        rows=[
            EntryRow(
                entry=e,
                cells=[
                    (label, display_value(kind, f, getattr(e, f)))
                    for label, f in zip(headers, kind.columns, strict=True)
                ],
                open_request=open_requests.get(e.uuid),
            )
            for e in entries
        ],
    )


_ANY_ENTRY = UUID(int=0)
_ANY_SERVANT = UUID(int=1)
_ANY_KIND = "kind0stand0in"


@functools.cache
def _staff_url_patterns(script_prefix: str) -> tuple[str, str, str]:
    """The staff's three addresses (register, correct, remove) reversed once per process
    with stand-ins, to be filled in per servant, kind and row (45 `reverse` calls a file
    page cost more than the rest of its tables' work)."""
    kind = (_ANY_SERVANT, _ANY_KIND)
    return (
        reverse("personnel:entry_new", args=kind),
        reverse("personnel:entry_edit", args=(*kind, _ANY_ENTRY)),
        reverse("personnel:entry_remove", args=(*kind, _ANY_ENTRY)),
    )


def with_staff_links(table: KindTable, servant_ref: UUID) -> KindTable:
    """The staff's links of a table (register, correct, remove), from the addresses
    reversed once with stand-ins (`_staff_url_patterns`)."""
    new, edit, remove = (
        url.replace(str(_ANY_SERVANT), str(servant_ref)).replace(_ANY_KIND, table.kind.key)
        for url in _staff_url_patterns(get_script_prefix())
    )
    table.new_url = new
    stand_in = str(_ANY_ENTRY)
    for row in table.rows:
        ref = str(row.entry.uuid)
        row.edit_url, row.remove_url = edit.replace(stand_in, ref), remove.replace(stand_in, ref)
    return table


def with_row_html(table: KindTable, *, actions: str = "", section_slug: str = "") -> KindTable:
    """The table's rows as the page prints them, in one string, with the actions of
    `actions`: "staff" (correct and remove, after `with_staff_links`), "own" (the
    servant's requests, `section_slug` naming the section) or "" (read only). Built here
    once instead of by the template, row by row (the file page prints about 30 rows:
    the template took 8 ms of its 23)."""
    words = _block_words(get_language())
    label_html, correct_html, remove_html = (
        escape(words[k]) for k in ("actions", "correct", "remove")
    )
    pending = f' <span class="tag">{escape(words["pending"])}</span>'

    def pair(correct_url: str, remove_url: str) -> str:
        return (
            f'<a href="{escape(correct_url)}">{correct_html}</a> · '
            f'<a href="{escape(remove_url)}">{remove_html}</a>'
        )

    rows = []
    for row in table.rows:
        if actions == "staff":
            links = pair(row.edit_url, row.remove_url)
            if row.open_request:
                links += pending
        elif actions == "own" and row.open_request:
            links = format_html(
                '<a href="{}" class="tag">{}</a>',
                reverse("personnel:my_request_detail", args=(row.open_request.uuid,)),
                row.open_request.get_state_display(),
            )
        elif actions == "own":
            ask = (section_slug, table.kind.key)
            links = pair(
                reverse("personnel:request_change", args=(*ask, "correct", row.entry.uuid)),
                reverse("personnel:request_change", args=(*ask, "remove", row.entry.uuid)),
            )
        else:
            rows.append(f"<tr>{row.cells_html}</tr>")
            continue
        cell = f'<td class="actions-cell" data-label="{label_html}">{links}</td>'
        rows.append(f"<tr>{row.cells_html}{cell}</tr>")
    table.body = mark_safe("\n".join(rows))  # noqa: S308 - every piece escaped above
    table.html = _table_block(table, actions, section_slug)
    return table


@per_language
def _block_words(language: str | None) -> dict[str, str]:
    return {
        "ask": gettext("Solicitar modificación"),
        "add": gettext("agregar"),
        "register": gettext("Registrar"),
        "actions": gettext("Acciones"),
        "empty": gettext("Sin registros."),
        "correct": gettext("Corregir"),
        "remove": gettext("Eliminar"),
        "pending": gettext("con solicitud"),
    }


def _table_block(table: KindTable, actions: str, section_slug: str) -> str:
    """One kind's whole block as the page prints it: heading, the add or register
    button, the table or «Sin registros.». Built here, not by an included template (the
    file page included one per kind, fifteen: 60 % of its template time)."""
    words = _block_words(get_language())
    label = str(table.kind.label)
    button = ""
    if actions == "own":
        button = format_html(
            '<a class="btn small" href="{}">{}<span class="visually-hidden">: {} {}</span></a>',
            reverse("personnel:request_add", args=(section_slug, table.kind.key, "add")),
            words["ask"],
            words["add"],
            label.lower(),
        )
    elif actions == "staff":
        button = format_html(
            '<a class="btn small" href="{}">{}<span class="visually-hidden"> {}</span></a>',
            table.new_url,
            words["register"],
            label.lower(),
        )
    head = format_html(
        '<div class="kind-head"><h3>{}</h3>{}</div>',
        label,
        mark_safe(button),  # noqa: S308
    )
    if not table.rows:
        body = f'<p class="empty">{escape(words["empty"])}</p>'
    else:
        cells = "".join(f'<th scope="col">{escape(h)}</th>' for h in table.headers)
        if actions:
            cells += f'<th scope="col">{escape(words["actions"])}</th>'
        body = (
            '<div class="scroll"><table class="table entries stack">'
            f"<thead><tr>{cells}</tr></thead><tbody>{table.body}</tbody></table></div>"
        )
    return mark_safe(f'<div class="kind-block">{head}{body}</div>')  # noqa: S308 - escaped


@dataclass(frozen=True)
class HistoryRow:
    at: str
    operation: str
    label: str
    by: str
    note: str


def history_rows(versions: Iterable[EntryVersion]) -> list[HistoryRow]:
    """The file's history as printed: every cell prepared here in one pass (the template
    filters cost 0.2 ms a row on the file page, which shows 50)."""
    words = _history_words(get_language())
    system, operations = words["system"], words["operations"]
    return [
        HistoryRow(
            at=f"{timezone.localtime(v.at):%d/%m/%Y %H:%M}",
            operation=operations.get(v.operation, v.operation),
            label=version_label(v),
            by=str(v.actor) if v.actor is not None else system,
            note=v.note or "—",
        )
        for v in versions
    ]


def version_label(version: EntryVersion) -> str:
    """«Sección II · Grado o título: Maestría» for one line of the file's history."""
    kind = KINDS.get(version.kind)
    if kind is None:
        return version.kind
    values = version.after or version.before or {}
    first = kind.columns[0]
    summary = display_value(kind, first, values.get(first))
    words = _history_words(get_language())
    return words["label"] % {
        "roman": SECTION_OF_KIND[kind.key].roman,
        "kind": words["kinds"][kind.key],
        "summary": summary,
    }


@per_language
def _history_words(language: str | None) -> dict[str, Any]:
    """The history's fixed words in `language`: the operations, the kinds' names and
    the line's sentence (eleven lines a file page, each asked gettext four times)."""
    return {
        "system": gettext("Sistema"),
        "operations": {value: str(name) for value, name in EntryVersion.Operation.choices},
        "kinds": {key: str(kind.label) for key, kind in KINDS.items()},
        "label": gettext("Sección %(roman)s · %(kind)s: %(summary)s"),
    }


@dataclass
class FieldDiff:
    label: str
    current: str
    proposed: str
    changed: bool


def request_diff(cr: ChangeRequest, live: FileEntry | None = None) -> list[FieldDiff]:
    """Side by side: the values now in the file (or when filed) and the proposed ones."""
    kind = KINDS[cr.kind]
    current = entry_values(kind, live) if live is not None else (cr.current or {})
    proposed = cr.proposed or {}
    result = []
    for name in kind.fields:
        before = display_value(kind, name, current.get(name)) if current else "—"
        after = display_value(kind, name, proposed.get(name)) if proposed else "—"
        result.append(
            FieldDiff(
                label=field_label(kind, name),
                current=before,
                proposed=after,
                changed=before != after,
            )
        )
    return result


def entry_detail(kind: EntryKind, entry: FileEntry) -> list[tuple[str, str]]:
    return [(field_label(kind, f), display_value(kind, f, getattr(entry, f))) for f in kind.fields]

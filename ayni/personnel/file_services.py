"""Writes on the personal file. Every change is versioned and audited in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from ayni.accounts.permissions import SELF_ACTION_MESSAGE, SelfActionError, is_own
from ayni.core.audit import audit_log
from ayni.core.errors import UserError
from ayni.personnel.models import ChangeRequest, EntryVersion, FileEntry, Servant
from ayni.personnel.sections import SECTION_OF_KIND, EntryKind, entry_values

SUBJECT = "servant"


class EntryValidationError(UserError):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def validate_values(
    kind: EntryKind, values: dict[str, Any], instance: FileEntry | None = None
) -> dict[str, Any]:
    """Run the entry's form over `values`; return cleaned data or raise with the errors."""
    form = kind.form_class()(data=values, instance=instance)
    if not form.is_valid():
        raise EntryValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
    return form.cleaned_data


def _record(
    *,
    actor: Any,
    request: HttpRequest | None,
    servant: Servant,
    kind: EntryKind,
    entry: FileEntry,
    operation: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    note: str,
    change_request: ChangeRequest | None,
) -> None:
    if is_own(actor, servant.user_id):  # nobody edits their own file as staff (rule 16)
        raise SelfActionError(SELF_ACTION_MESSAGE)
    EntryVersion.objects.create(
        servant=servant,
        kind=kind.key,
        entry_uuid=entry.uuid,
        version=entry.version,
        operation=operation,
        before=before,
        after=after,
        actor=actor,
        note=note[:300],
        change_request=change_request,
    )
    section = SECTION_OF_KIND[kind.key]
    audit_log(
        action=f"personnel.entry_{operation}",
        actor=actor,
        request=request,
        subject_type=SUBJECT,
        subject_id=servant.pk,
        obj=entry,
        unit_path=servant.employing_unit.path,
        before=before,
        after=after,
        detail=f"Sección {section.roman}: {kind.label}. {note}",
    )


@transaction.atomic
def entry_create(
    *,
    actor: Any,
    servant: Servant,
    kind: EntryKind,
    values: dict[str, Any],
    note: str,
    request: HttpRequest | None = None,
    change_request: ChangeRequest | None = None,
) -> FileEntry:
    cleaned = validate_values(kind, values)
    entry = kind.model(servant=servant, **{f: cleaned.get(f) for f in kind.fields})
    entry.save()
    _record(
        actor=actor,
        request=request,
        servant=servant,
        kind=kind,
        entry=entry,
        operation=EntryVersion.Operation.CREATE,
        before=None,
        after=entry_values(kind, entry),
        note=note,
        change_request=change_request,
    )
    return entry


@transaction.atomic
def entry_update(
    *,
    actor: Any,
    entry: FileEntry,
    kind: EntryKind,
    values: dict[str, Any],
    note: str,
    request: HttpRequest | None = None,
    change_request: ChangeRequest | None = None,
) -> FileEntry:
    locked = kind.model.objects.select_for_update().get(pk=entry.pk)  # type: ignore[attr-defined]
    before = entry_values(kind, locked)
    cleaned = validate_values(kind, values, instance=locked)
    for name in kind.fields:
        setattr(locked, name, cleaned.get(name))
    locked.version += 1
    locked.save()
    _record(
        actor=actor,
        request=request,
        servant=locked.servant,
        kind=kind,
        entry=locked,
        operation=EntryVersion.Operation.UPDATE,
        before=before,
        after=entry_values(kind, locked),
        note=note,
        change_request=change_request,
    )
    return locked


@transaction.atomic
def entry_delete(
    *,
    actor: Any,
    entry: FileEntry,
    kind: EntryKind,
    note: str,
    request: HttpRequest | None = None,
    change_request: ChangeRequest | None = None,
) -> None:
    locked = kind.model.objects.select_for_update().get(pk=entry.pk)  # type: ignore[attr-defined]
    before = entry_values(kind, locked)
    locked.version += 1
    _record(
        actor=actor,
        request=request,
        servant=locked.servant,
        kind=kind,
        entry=locked,
        operation=EntryVersion.Operation.DELETE,
        before=before,
        after=None,
        note=note,
        change_request=change_request,
    )
    locked.delete()

"""Escalafón staff record and correct entries directly, each change citing its resolution."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from ayni.accounts.permissions import PERSONNEL_EDIT, require_perm
from ayni.core.errors import UserError
from ayni.core.formtoken import one_time_form
from ayni.identity.stepup import step_up
from ayni.personnel.file_selectors import get_entry
from ayni.personnel.file_services import (
    entry_create,
    entry_delete,
    entry_update,
)
from ayni.personnel.presenters import entry_detail
from ayni.personnel.sections import KINDS, SECTION_OF_KIND
from ayni.personnel.selectors import get_servant_for_staff


class SupportForm(forms.Form):
    note = forms.CharField(
        label=_("Resolución o documento que sustenta el cambio"),
        max_length=300,
        help_text=_("Por ejemplo: RD N.° 04512-2026-UGEL07 del 12/03/2026."),
        error_messages={"required": _("Cite la resolución o el documento que sustenta el cambio.")},
    )


def _context(servant: Any, kind_key: str) -> Any:
    kind = KINDS.get(kind_key)
    if kind is None:
        raise Http404
    return kind, SECTION_OF_KIND[kind.key]


@require_perm(PERSONNEL_EDIT)
@step_up  # second factor again when the last check is older than STEP_UP_MINUTES
@require_http_methods(["GET", "POST"])
@one_time_form
def entry_edit(
    request: HttpRequest, ref: UUID, kind_key: str, entry_ref: UUID | None = None
) -> HttpResponse:
    servant = get_servant_for_staff(request.user, ref, PERSONNEL_EDIT)
    kind, section = _context(servant, kind_key)
    entry = get_entry(servant, kind, entry_ref) if entry_ref else None
    if entry_ref and entry is None:
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = kind.form_class()(data=data, instance=entry, prefix="p")
    support = SupportForm(data=data)
    if request.method == "POST" and form.is_valid() and support.is_valid():
        values = {k[2:]: v for k, v in request.POST.items() if k.startswith("p-")}
        note = support.cleaned_data["note"]
        try:
            if entry is None:
                entry_create(
                    actor=request.user,
                    servant=servant,
                    kind=kind,
                    values=values,
                    note=note,
                    request=request,
                )
            else:
                entry_update(
                    actor=request.user,
                    entry=entry,
                    kind=kind,
                    values=values,
                    note=note,
                    request=request,
                )
        except UserError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                gettext("Se registró el cambio en la sección %(roman)s.")
                % {"roman": section.roman},
            )
            return redirect("personnel:servant_detail", ref=servant.uuid)
    return render(
        request,
        "personnel/staff_entry_form.html",
        {
            "servant": servant,
            "kind": kind,
            "section": section,
            "entry": entry,
            "form": form,
            "support": support,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_perm(PERSONNEL_EDIT)
@step_up  # second factor again when the last check is older than STEP_UP_MINUTES
@require_http_methods(["GET", "POST"])
@one_time_form
def entry_remove(request: HttpRequest, ref: UUID, kind_key: str, entry_ref: UUID) -> HttpResponse:
    servant = get_servant_for_staff(request.user, ref, PERSONNEL_EDIT)
    kind, section = _context(servant, kind_key)
    entry = get_entry(servant, kind, entry_ref)
    if entry is None:
        raise Http404
    support = SupportForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and support.is_valid():
        entry_delete(
            actor=request.user,
            entry=entry,
            kind=kind,
            note=support.cleaned_data["note"],
            request=request,
        )
        messages.success(
            request,
            gettext("Se eliminó el registro de la sección %(roman)s.") % {"roman": section.roman},
        )
        return redirect("personnel:servant_detail", ref=servant.uuid)
    return render(
        request,
        "personnel/staff_entry_remove.html",
        {
            "servant": servant,
            "kind": kind,
            "section": section,
            "entry": entry,
            "detail": entry_detail(kind, entry),
            "support": support,
        },
        status=400 if request.method == "POST" else 200,
    )

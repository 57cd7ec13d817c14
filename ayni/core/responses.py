"""Responses shared by the apps' views."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import HttpResponse


def pdf_response(data: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'{"inline" if inline else "attachment"}; filename="{filename}"'
    )
    return response


def stored_pdf_response(name: str, filename: str, *, inline: bool = False) -> HttpResponse:
    """A PDF kept in the default storage, served under `filename`."""
    with default_storage.open(name, "rb") as handle:
        return pdf_response(handle.read(), filename, inline=inline)

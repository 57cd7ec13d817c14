"""Shared by the API tests: tokens for personas and a client that sends them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from ayni.api.scopes import available_scopes, paths_for
from ayni.api.tokens import token_create

RUC = "20330611023"
REM_NAME = f"0601203001{RUC}.rem"  # January 2030: no demo run there


def make_token(user: Any, scopes: list[str] | None = None, **kwargs: Any) -> str:
    """A token of `user` with `scopes` (default: all theirs) on all their units."""
    chosen = scopes if scopes is not None else [s.code for s in available_scopes(user)]
    chosen = [s for s in chosen if s != "planillas:publicar"] if scopes is None else chosen
    hours = 8 if "planillas:publicar" in chosen else 24 * 30
    _token, secret = token_create(
        user=user,
        name=kwargs.get("name", "Integración de prueba"),
        scopes=chosen,
        unit_paths=kwargs.get("units", paths_for(user, chosen)),
        expires_at=timezone.now() + timedelta(hours=hours),
    )
    return secret


def bearer(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

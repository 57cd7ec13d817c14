"""The fixed words of each PDF, through gettext (issue 11: every user-facing string can be
translated). A template reads them as `d.t.<key>`; the keys are the same in every language."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _


def _layout() -> dict[str, str]:
    return {}


LABELS: dict[str, Callable[[], dict[str, str]]] = {}


def labels_for(template: str) -> dict[str, str]:
    """The labels of the shared layout plus those of `template` (its file name's stem)."""
    words = _layout()
    builder = LABELS.get(template)
    if builder is not None:
        words.update(builder())
    return words


__all__ = ["labels_for", "_"]

"""Fixed words translated once per language and kept for the life of the process.

The catalogue does not change while the process runs, so a page or a PDF that prints
the same labels on every request need not ask gettext for each of them each time (the
file page asked some 500 times, a payslip PDF 64). A cached function takes the language
as its last argument. Tests that swap the catalogue call `forget()` before and after.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_caches: list[Any] = []


def per_language(function: F) -> F:
    """`functools.cache`, registered so that `forget()` can empty it."""
    cached = functools.cache(function)
    _caches.append(cached)
    return cached  # type: ignore[return-value]


def forget() -> None:
    """Empty every cache of translated words (after the catalogue was swapped)."""
    for cached in _caches:
        cached.cache_clear()

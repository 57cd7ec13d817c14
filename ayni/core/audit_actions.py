"""The registry of audit actions (STYLE.md rule 15).

Each app registers its actions (in its `actions.py`, loaded by its AppConfig), each
with a Spanish sentence in the past tense whose subject is the actor: «aprobó una
solicitud de modificación». Pages show the sentence, never the code; `audit_log`
refuses a code that is not registered.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext


@dataclass(frozen=True)
class AuditAction:
    code: str
    sentence: str
    is_read: bool = False  # a staff read of someone's data (shown in «¿Quién vio mi legajo?»)
    is_security: bool = False  # sign-in, roles, e-mail: shown to MINEDU's administrators
    is_legacy: bool = False  # no longer written; kept so older events still read well


_REGISTRY: dict[str, AuditAction] = {}


def register(*actions: AuditAction) -> None:
    for action in actions:
        known = _REGISTRY.get(action.code)
        if known is not None and known != action:
            raise ValueError(f"audit action {action.code} registered twice, differently")
        _REGISTRY[action.code] = action


def action(
    code: str, sentence: str, *, read: bool = False, security: bool = False, legacy: bool = False
) -> AuditAction:
    return AuditAction(
        code=code, sentence=sentence, is_read=read, is_security=security, is_legacy=legacy
    )


def get_action(code: str) -> AuditAction | None:
    return _REGISTRY.get(code)


def is_registered(code: str) -> bool:
    return code in _REGISTRY


def sentence(code: str) -> str:
    known = _REGISTRY.get(code)
    # The sentences are registered in Spanish; they are translated when shown.
    return gettext(known.sentence if known is not None else "realizó una operación")


def codes(*, read: bool | None = None, security: bool | None = None) -> list[str]:
    return sorted(
        a.code
        for a in _REGISTRY.values()
        if (read is None or a.is_read == read) and (security is None or a.is_security == security)
    )


def choices() -> list[tuple[str, str]]:
    """For filters: (code, sentence) of the actions written today, sorted by sentence."""
    return sorted(
        ((a.code, gettext(a.sentence)) for a in _REGISTRY.values() if not a.is_legacy),
        key=lambda c: c[1],
    )

"""The one gate of a share link's stored state (STYLE.md rule 14).

    activo ──► anulado      (its owner revoked it; final)

Expiry and the opening count are not moves: they follow from `expires_at` and
`openings_count`, read when the link is opened or listed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from ayni.core.states import Gate
from ayni.sharing.models import ShareLink

State = ShareLink.State

LINK_GATE = Gate(
    action_prefix="sharing.link",
    allowed={State.ACTIVE: frozenset({State.REVOKED})},
    what=gettext_lazy("El enlace"),
    labels=dict(State.choices),  # type: ignore[arg-type]
)

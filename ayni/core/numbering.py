"""Gapless numbers per scope and year, on a row-locked counter.

Call `next_number` inside the transaction that stores the numbered object: if
that transaction rolls back, the number is given back with it, so no gaps.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from ayni.core.models import NumberSequence


def next_number(scope: str, year: int) -> int:
    with transaction.atomic():
        try:
            with transaction.atomic():
                NumberSequence.objects.get_or_create(scope=scope, year=year)
        except IntegrityError:
            pass  # created by a concurrent transaction; the lock below waits for it
        seq = NumberSequence.objects.select_for_update().get(scope=scope, year=year)
        seq.last_value += 1
        seq.save(update_fields=["last_value"])
        return seq.last_value

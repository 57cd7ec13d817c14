"""Demo share links (issue 15): the teacher 10000001 and the cesante 10000003 each have
one active link that was opened, one they revoked and one that expired. Idempotent:
nothing is added for a servant who already has links. The tokens are thrown away (the
demo links cannot be opened; create a new one from «Mi boleta» to try)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ayni.payroll.models import Payslip
from ayni.personnel.models import Servant
from ayni.sharing.documents import own_document
from ayni.sharing.models import DocumentKind, ShareLink, ShareOpening
from ayni.sharing.services import link_create, link_revoke

DEMO_SERVANTS = ("10000001", "10000003")


@transaction.atomic
def seed_sharing_demo() -> int:
    created = 0
    for doc_number in DEMO_SERVANTS:
        servant = Servant.objects.select_related("user").filter(doc_number=doc_number).first()
        if servant is None or servant.user is None or servant.share_links.exists():
            continue
        user = servant.user
        today = timezone.localdate()
        slips = list(
            Payslip.objects.filter(
                servant=servant,
                published=True,
                payment_date__lte=today,
                run__state="published",
            ).order_by("-payment_date")[:3]
        )
        if len(slips) < 3:
            continue
        now = timezone.now()
        docs = [own_document(user, DocumentKind.PAYSLIP, s.uuid) for s in slips]
        # 1. active, opened twice (yesterday and this morning)
        active, _ = link_create(user=user, document=docs[0], days=7, max_openings=5)
        ShareLink.objects.filter(pk=active.pk).update(
            created_at=now - timedelta(days=2), expires_at=now + timedelta(days=5), openings_count=2
        )
        for number, ago in ((1, timedelta(days=1, hours=3)), (2, timedelta(hours=2))):
            opening = ShareOpening.objects.create(link=active, number=number)
            ShareOpening.objects.filter(pk=opening.pk).update(
                opened_at=now - ago, pdf_fetched_at=now - ago + timedelta(minutes=1)
            )
        # 2. revoked before anyone opened it
        revoked, _ = link_create(user=user, document=docs[1], days=3, max_openings=1)
        link_revoke(user=user, link=revoked)
        # 3. expired after one opening
        expired, _ = link_create(user=user, document=docs[2], days=1, max_openings=2)
        ShareLink.objects.filter(pk=expired.pk).update(
            created_at=now - timedelta(days=12),
            expires_at=now - timedelta(days=11),
            openings_count=1,
        )
        opening = ShareOpening.objects.create(link=expired, number=1)
        ShareOpening.objects.filter(pk=opening.pk).update(
            opened_at=now - timedelta(days=11, hours=5)
        )
        created += 3
    return created

"""Background tasks of the benefits app (django-tasks)."""

from django_tasks import task

from ayni.benefits.services import constancia_build


@task()
def build_constancia_task(cert_id: int) -> bool:
    """A long constancia de pagos: snapshot with progress, PDF, XLSX, verification."""
    return constancia_build(cert_id)


@task()
def benefit_alerts_task() -> dict[str, int]:
    """Daily: 25/30 years reached, cessation a year away, observed filings near term."""
    from ayni.benefits.alerts import send_benefit_alerts

    return send_benefit_alerts()

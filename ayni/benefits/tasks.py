"""Background tasks of the benefits app (django-tasks)."""

from django_tasks import task

from ayni.benefits.services import constancia_build


@task()
def build_constancia_task(cert_id: int) -> bool:
    """A long constancia de pagos: snapshot with progress, PDF, XLSX, verification."""
    return constancia_build(cert_id)

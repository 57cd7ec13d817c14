"""Background tasks of core (django-tasks)."""

from django_tasks import task

from ayni.core.formtoken import purge_old


@task()
def purge_form_tokens_task() -> int:
    """Daily: forget used one-time form tokens older than two days."""
    return purge_old()

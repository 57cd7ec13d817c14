"""Background tasks of core (django-tasks)."""

from django_tasks import task

from ayni.core.formtoken import purge_old


@task()
def purge_form_tokens_task() -> int:
    """Daily: forget used one-time form tokens older than two days."""
    return purge_old()


@task()
def partitions_task() -> int:
    """Daily: the partitions of the months ahead and of the periods in the data
    (ayni.core.partitions); returns how many were created. Nothing on SQLite."""
    from ayni.core.partitions import maintain

    return len(maintain().created)

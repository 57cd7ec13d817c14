"""Background tasks of the personnel app (django-tasks)."""

from django_tasks import task

from ayni.personnel.change_requests import expire_observed_requests


@task()
def expire_observed_requests_task() -> int:
    """Daily: close observed requests whose correction period has passed."""
    return expire_observed_requests()

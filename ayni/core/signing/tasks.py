"""Background task of signing: the daily expiry notice (run by `manage.py run_daily`)."""

from django_tasks import task

from ayni.core.signing.expiry import warn_administrators


@task()
def signing_expiry_task() -> int:
    """Daily: tell the administrators of certificates about to expire."""
    return warn_administrators()

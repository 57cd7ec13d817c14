"""Background tasks of the desk (django-tasks)."""

from django_tasks import task

from ayni.desk.cases import expire_observed_cases


@task()
def expire_observed_cases_task() -> int:
    """Daily: observed filings not completed in two working days become «no presentado»."""
    return expire_observed_cases()

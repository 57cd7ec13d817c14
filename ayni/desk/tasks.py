"""Background tasks of the desk (django-tasks)."""

from django_tasks import task

from ayni.desk.cases import expire_observed_cases


@task()
def expire_observed_cases_task() -> int:
    """Daily: observed filings not completed in two working days become «no presentado»."""
    return expire_observed_cases()


@task()
def render_receipt_task(case_id: int) -> bool:
    """After a filing commits: render and store its cargo de recepción."""
    from ayni.desk.models import Case
    from ayni.desk.receipts import receipt_pdf

    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return False
    receipt_pdf(case)
    return True

"""Background tasks of the supervision app (django-tasks)."""

from django_tasks import task

from ayni.supervision.aggregates import refresh


@task()
def refresh_figures_task() -> int:
    """Recompute every unit's dashboard figures; returns how many units hold data."""
    return refresh().units

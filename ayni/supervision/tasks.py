"""Background tasks of the supervision app (django-tasks)."""

from django_tasks import task

from ayni.supervision.aggregates import refresh


@task()
def refresh_figures_task() -> int:
    """Recompute every unit's dashboard figures and render the MINEDU and DRE boards for
    them (so no supervisor waits for the heaviest pages); returns how many units hold
    data."""
    from ayni.supervision.boards import warm

    done = refresh()
    warm(done.pk)
    return done.units


@task()
def publish_open_data_task() -> str:
    """Monthly (and whenever asked): refresh the figures, then write the month's open-data
    file. Returns the period written."""
    from ayni.supervision.opendata import publish_month

    refresh()
    return publish_month().period


@task()
def build_list_export_task(export_id: int) -> int:
    """Write a large read-only list to its file (ayni.supervision.services)."""
    from ayni.supervision.services import build_list_export

    return build_list_export(export_id)

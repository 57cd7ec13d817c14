"""Audit actions of the supervision app (see ayni.core.audit_actions)."""

from django.utils.translation import gettext_noop as N_

from ayni.core.audit_actions import action, register

register(
    # A read-only list behind a figure that names people (requests, filings, informes).
    action("supervision.list_viewed", N_("consultó una lista de supervisión"), read=True),
    # A table of the dashboard or a list downloaded as CSV or XLSX.
    action("supervision.export_downloaded", N_("descargó una tabla de supervisión"), read=True),
    action("supervision.refreshed", N_("actualizó las cifras de supervisión")),
    action("supervision.export_requested", N_("pidió preparar una lista de supervisión")),
)

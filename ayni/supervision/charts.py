"""Charts drawn on the server as SVG: no script, no library, no CDN.

Each chart scales to its box (viewBox, width 100 %), so it reads on a 360 px phone;
it carries `role="img"`, a <title> and a <desc> that says every value in words (the
text alternative), and the table with the same figures stands beside it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ayni.core import formats

BAR = "#1f5f99"
ALERT = "#b3261e"
MUTED = "#5b6673"
INK = "#1b1f24"
GRID = "#d6dbe1"
MAX_BARS = 12
LABEL_CHARS = 40  # a longer label is squeezed to the chart's width (never cut)


def _describe(title: str, items: Sequence[tuple[str, float]], fmt: str) -> str:
    parts = [f"{label}: {_fmt(value, fmt)}" for label, value in items]
    return f"{title}. " + "; ".join(parts) + "."


def _fmt(value: float, fmt: str) -> str:
    return formats.soles(value) if fmt == "soles" else formats.count(int(value))


def bars(
    chart_id: str,
    title: str,
    items: Sequence[tuple[str, float]],
    *,
    fmt: str = "count",
    alert: Sequence[bool] | None = None,
) -> SafeString:
    """Horizontal bars, the label above each bar and the value at its end: long labels
    never squeeze the bars on a phone. Zeros are left out, and past `MAX_BARS` only the
    largest are drawn (the table beside the chart has every row)."""
    kept = [(i, item) for i, item in enumerate(items) if item[1] > 0]
    kept.sort(key=lambda pair: -pair[1][1])
    kept = sorted(kept[:MAX_BARS])
    alert = [bool(alert and alert[i]) for i, _ in kept]
    items = [item for _, item in kept]
    if not items:
        return mark_safe("")  # nothing to draw: the table says it
    width, row, gap = 320, 34, 6
    height = max(1, len(items)) * (row + gap)
    peak = max((value for _, value in items), default=0) or 1
    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(_describe(title, items, fmt))}</desc>',
    ]
    for index, (label, value) in enumerate(items):
        y = index * (row + gap)
        length = 0 if value <= 0 else max(2, value / peak * (width - 90))
        colour = ALERT if alert and alert[index] else BAR
        fit = (
            f' textLength="{width - 2}" lengthAdjust="spacingAndGlyphs"'
            if len(label) > LABEL_CHARS
            else ""
        )
        out.append(
            f'<text x="0" y="{y + 12}" font-size="12" fill="{INK}"{fit}>{escape(label)}</text>'
            f'<rect x="0" y="{y + 17}" width="{length:.1f}" height="14" rx="2" fill="{colour}"/>'
            f'<text x="{length + 6:.1f}" y="{y + 29}" font-size="12" fill="{INK}" '
            f'font-weight="600">{escape(_fmt(value, fmt))}</text>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped


def columns(
    chart_id: str,
    title: str,
    items: Sequence[tuple[str, float]],
    *,
    fmt: str = "count",
    alert: Sequence[bool] | None = None,
) -> SafeString:
    """Vertical columns over time (months or weeks), labelled below, the peak marked."""
    width, height, bottom, top = 320, 150, 22, 16
    n = max(1, len(items))
    pad = 8  # the first and last labels stay inside the box
    slot = (width - 2 * pad) / n
    peak = max((value for _, value in items), default=0) or 1
    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(_describe(title, items, fmt))}</desc>',
        f'<line x1="0" x2="{width}" y1="{height - bottom}" y2="{height - bottom}" '
        f'stroke="{GRID}"/>',
    ]
    usable = height - bottom - top
    labelled = False  # the peak's value is written once, over its first column
    for index, (label, value) in enumerate(items):
        x = pad + index * slot
        h = 0 if value <= 0 else max(1.5, value / peak * usable)
        colour = ALERT if alert and alert[index] else BAR
        out.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{height - bottom - h:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{h:.1f}" fill="{colour}"/>'
        )
        if n <= 6 or index % 2 == (n - 1) % 2:  # every other label when they are many
            out.append(
                f'<text x="{x + slot / 2:.1f}" y="{height - 6}" font-size="10" fill="{MUTED}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
        if value == peak and value > 0 and not labelled:
            labelled = True
            out.append(
                f'<text x="{x + slot / 2:.1f}" y="{height - bottom - h - 4:.1f}" font-size="10" '
                f'fill="{INK}" text-anchor="middle">{escape(_fmt(value, fmt))}</text>'
            )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped

"""Server-rendered SVG charts: no JavaScript, no library, readable without colour.

`render(chart)` turns an `analytics.stats.ChartData` into an inline `<svg role="img">` with a
`<title>` and a `<desc>` (referenced by aria-labelledby), text labels for both axes and a
legend in words. The data table under each chart carries the exact numbers. Colours all
reach 4.5:1 against white, so bars, lines and their labels stay visible (WCAG 1.4.11).
Only presentation attributes are used: the Content-Security-Policy forbids style
attributes.
"""

from __future__ import annotations

import math

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from solidaire.analytics.stats import ChartData

PALETTE = ["#1f5f99", "#a34700", "#2e7d32", "#6a1b9a", "#b71c1c", "#00695c", "#5d4037",
           "#455a64"]
TEXT = "#1a1a1a"
AXIS = "#595959"
GRID = "#d9d9d9"
WIDTH = 640
FONT = 12
LEGEND_LINE = 20
MAX_X_LABELS = 8
LABEL_CHARS = 26


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def nice_max(value: float) -> tuple[int, int]:
    """A round top for the value axis and its step: 4 or 5 steps of 1, 2 or 5 × 10ⁿ."""
    if value <= 0:
        return 4, 1
    power = 10 ** math.floor(math.log10(value / 4))
    step = power * 10
    for factor in (1, 2, 5):
        if factor * power * 4 >= value:
            step = factor * power
            break
    step = max(1, int(step))
    top = step * math.ceil(value / step)
    return top, step


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(x, y, content, *, anchor="start", size=FONT, weight=None, rotate=None) -> str:
    extra = f' font-weight="{weight}"' if weight else ""
    if rotate is not None:
        extra += f' transform="rotate({rotate} {x:.1f} {y:.1f})"'
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{TEXT}" '
            f'text-anchor="{anchor}"{extra}>{escape(content)}</text>')


def _open(chart: ChartData, height: float) -> list[str]:
    base = f"chart-{chart.name}"
    total = sum(v for s in chart.series for v in s.values) if chart.kind != "lines" else None
    desc = chart.note or ""
    if total is not None and not chart.is_empty:
        desc = f"{desc} {_('Total: %(total)s') % {'total': number_format(total)}}".strip()
    return [
        f'<svg class="chart" role="img" aria-labelledby="{base}-title {base}-desc" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif">',
        f'<title id="{base}-title">{escape(chart.title)}</title>',
        f'<desc id="{base}-desc">{escape(desc)}</desc>',
    ]


def _legend(chart: ChartData, top: float, left: float, *, goal: bool = False) -> list[str]:
    parts = []
    for i, series in enumerate(chart.series):
        y = top + i * LEGEND_LINE
        if goal:
            parts.append(f'<line x1="{left}" y1="{y - 4}" x2="{left + 18}" y2="{y - 4}" '
                         f'stroke="{colour(i)}" stroke-width="3"/>')
        else:
            parts.append(f'<rect x="{left}" y="{y - 11}" width="14" height="14" '
                         f'fill="{colour(i)}"/>')
        label = series.label
        if goal and series.goal is not None:
            label = _("%(petition)s (goal %(goal)s)") % {
                "petition": label, "goal": number_format(series.goal)}
        parts.append(_text(left + 24, y, _short(label, 70)))
    return parts


def _value_axis(top_value, step, x0, x1, y0, y1) -> list[str]:
    """Grid lines and tick labels of a vertical value axis from y0 (zero) up to y1."""
    parts = []
    value = 0
    while value <= top_value:
        y = y0 - (y0 - y1) * value / top_value
        parts.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x1}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(_text(x0 - 6, y + 4, number_format(value), anchor="end", size=11))
        value += step
    return parts


def _category_labels(chart: ChartData, x0: float, band: float, y: float) -> list[str]:
    n = len(chart.categories)
    every = max(1, math.ceil(n / MAX_X_LABELS))
    return [_text(x0 + band * (i + 0.5), y, label, anchor="middle", size=11)
            for i, label in enumerate(chart.categories) if i % every == 0]


def _columns(chart: ChartData, *, lines: bool) -> SafeString:
    left, right, top, plot_h = 64, 16, 16, 200
    n = max(1, len(chart.categories))
    legend_top = top + plot_h + 64
    height = legend_top + LEGEND_LINE * max(0, len(chart.series)) + 4
    x0, x1, y0, y1 = left, WIDTH - right, top + plot_h, top
    band = (x1 - x0) / n
    if lines:
        peak = max([v for s in chart.series for v in s.values]
                   + [s.goal or 0 for s in chart.series] + [0])
    else:
        peak = max([sum(s.values[i] for s in chart.series) for i in range(len(chart.categories))]
                   + [0])
    top_value, step = nice_max(peak)
    parts = _open(chart, height)
    parts += _value_axis(top_value, step, x0, x1, y0, y1)

    def y_of(value):
        return y0 - (y0 - y1) * value / top_value

    if lines:
        for i, series in enumerate(chart.series):
            points = " ".join(f"{x0 + band * (j + 0.5):.1f},{y_of(v):.1f}"
                              for j, v in enumerate(series.values))
            if series.goal is not None:
                gy = y_of(series.goal)
                parts.append(f'<line x1="{x0}" y1="{gy:.1f}" x2="{x1}" y2="{gy:.1f}" '
                             f'stroke="{colour(i)}" stroke-width="1.5" stroke-dasharray="6 4"/>')
            parts.append(f'<polyline points="{points}" fill="none" stroke="{colour(i)}" '
                         f'stroke-width="2.5"/>')
    else:
        width = max(1.0, band * 0.7)
        for j in range(len(chart.categories)):
            base = 0
            for i, series in enumerate(chart.series):
                value = series.values[j]
                if not value:
                    continue
                ya, yb = y_of(base + value), y_of(base)
                parts.append(
                    f'<rect x="{x0 + band * j + (band - width) / 2:.1f}" y="{ya:.1f}" '
                    f'width="{width:.1f}" height="{yb - ya:.1f}" fill="{colour(i)}" '
                    f'stroke="#ffffff" stroke-width="1"/>')
                base += value
    parts.append(f'<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y0}" stroke="{AXIS}"/>')
    parts.append(f'<line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}" stroke="{AXIS}"/>')
    parts += _category_labels(chart, x0, band, y0 + 16)
    parts.append(_text((x0 + x1) / 2, y0 + 40, chart.x_label, anchor="middle", weight="600"))
    parts.append(_text(16, (y0 + y1) / 2, chart.y_label, anchor="middle", weight="600",
                       rotate=-90))
    parts += _legend(chart, legend_top, x0, goal=lines)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above went through escape()


def _hbars(chart: ChartData) -> SafeString:
    left, right, top, row = 200, 64, 28, 28
    n = max(1, len(chart.categories))
    values = chart.series[0].values if chart.series else []
    x0, x1 = left, WIDTH - right
    plot_bottom = top + row * n
    height = plot_bottom + 44
    top_value, step = nice_max(max([*values, 0]))
    parts = _open(chart, height)
    parts.append(_text(8, 16, chart.y_label, weight="600"))
    value = 0
    while value <= top_value:
        x = x0 + (x1 - x0) * value / top_value
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{plot_bottom}" '
                     f'stroke="{GRID}"/>')
        parts.append(_text(x, plot_bottom + 14, number_format(value), anchor="middle", size=11))
        value += step
    for i, (label, amount) in enumerate(zip(chart.categories, values, strict=True)):
        y = top + row * i
        w = (x1 - x0) * amount / top_value
        parts.append(_text(x0 - 8, y + row / 2 + 4, _short(label), anchor="end"))
        parts.append(f'<rect x="{x0}" y="{y + 5}" width="{w:.1f}" height="{row - 10}" '
                     f'fill="{colour(0)}"/>')
        parts.append(_text(x0 + w + 6, y + row / 2 + 4, number_format(amount)))
    parts.append(f'<line x1="{x0}" y1="{top}" x2="{x0}" y2="{plot_bottom}" stroke="{AXIS}"/>')
    parts.append(_text((x0 + x1) / 2, plot_bottom + 36, chart.x_label, anchor="middle",
                       weight="600"))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above went through escape()


def render(chart: ChartData) -> SafeString:
    if chart.kind == "hbars":
        return _hbars(chart)
    return _columns(chart, lines=chart.kind == "lines")

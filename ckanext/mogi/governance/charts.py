"""Charts drawn on the server as accessible SVG (no JavaScript, no CDN).

Each chart is an ``<svg role="img">`` labelled by its ``<title>`` and
described by a ``<desc>`` that states its figures in words; the pages put a
table of the same data beside it. Texts arrive translated; every one is
escaped here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

#: Colour of each seal level (the text beside it always names the level).
SEAL_COLOURS = {"nenhum": "#6c757d", "bronze": "#8c4a1c", "prata": "#4a6d8c", "ouro": "#8a6d00"}
#: Colours and dash patterns of the lines, cycled (told apart without colour too).
LINE_COLOURS = ("#1b5e9b", "#b23c17", "#2e7d32", "#6a1b9a", "#8a6d00", "#00695c", "#ad1457")
LINE_DASHES = ("", "6 3", "2 3", "8 3 2 3")

LABEL_WIDTH = 220
PLOT_WIDTH = 420
BAR_HEIGHT = 18
ROW_GAP = 8


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="mogi-grafico" '
            f'width="100%" viewBox="0 0 {width} {height}" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
            f'font-family="sans-serif" font-size="12">'
            f'<title id="{chart_id}-title">{escape(title)}</title>'
            f'<desc id="{chart_id}-desc">{escape(desc)}</desc>')


def seal_bars(chart_id: str, title: str, desc: str, bars: Sequence[tuple[str, Mapping[str, int]]],
              levels: Sequence[tuple[str, str]]) -> Markup:
    """Stacked horizontal bars: one per ``(label, {level: count})``;
    ``levels`` is ``[(level id, translated label)]`` in stacking order."""
    legend_height = 24
    height = legend_height + len(bars) * (BAR_HEIGHT + ROW_GAP) + ROW_GAP
    width = LABEL_WIDTH + PLOT_WIDTH + 40
    parts = [_open(chart_id, width, height, title, desc)]
    x = LABEL_WIDTH
    for level, label in levels:
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{SEAL_COLOURS[level]}"/>'
                     f'<text x="{x + 16}" y="14">{escape(label)}</text>')
        x += 100
    biggest = max((sum(c.get(level, 0) for level, _ in levels) for _, c in bars), default=0) or 1
    for n, (label, counts) in enumerate(bars):
        y = legend_height + ROW_GAP + n * (BAR_HEIGHT + ROW_GAP)
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 13}" text-anchor="end">'
                     f'{escape(label[:34])}</text>')
        x = float(LABEL_WIDTH)
        for level, _ in levels:
            value = counts.get(level, 0)
            if value:
                w = PLOT_WIDTH * value / biggest
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" '
                             f'fill="{SEAL_COLOURS[level]}"/>')
                x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 13}">'
                     f'{sum(counts.get(level, 0) for level, _ in levels)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def lines(chart_id: str, title: str, desc: str, days: Sequence[dt.date],
          series: Sequence[tuple[str, Mapping[dt.date, int]]], day_format: str) -> Markup:
    """A line per ``(label, {day: value})`` over ``days`` (a point where a day has a value)."""
    left, top, plot_h, plot_w = 40, 10, 160, 560
    legend_top = top + plot_h + 30
    height = legend_top + 18 * len(series) + 6
    width = left + plot_w + 30
    parts = [_open(chart_id, width, height, title, desc)]
    biggest = max((v for _, values in series for v in values.values()), default=0) or 1
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" '
                 f'y2="{top + plot_h}" stroke="#444"/>'
                 f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#444"/>'
                 f'<text x="{left - 6}" y="{top + 10}" text-anchor="end">{biggest}</text>'
                 f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end">0</text>')

    def x_of(index: int) -> float:
        return left + (plot_w * index / (len(days) - 1) if len(days) > 1 else plot_w / 2)

    def y_of(value: int) -> float:
        return top + plot_h - plot_h * value / biggest

    if days:
        for index in sorted({0, len(days) - 1}):
            parts.append(f'<text x="{x_of(index):.1f}" y="{top + plot_h + 16}" '
                         f'text-anchor="middle">{escape(days[index].strftime(day_format))}</text>')
    for n, (label, values) in enumerate(series):
        colour = LINE_COLOURS[n % len(LINE_COLOURS)]
        dash = LINE_DASHES[n % len(LINE_DASHES)]
        points = [(x_of(i), y_of(values[day])) for i, day in enumerate(days) if day in values]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                         f'stroke-width="2"{dash_attr}/>')
        parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>'
                     for x, y in points)
        y = legend_top + 18 * n
        parts.append(f'<line x1="{left}" y1="{y - 4}" x2="{left + 24}" y2="{y - 4}" '
                     f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
                     f'<text x="{left + 30}" y="{y}">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))

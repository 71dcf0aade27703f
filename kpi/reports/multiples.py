"""All KPI charts at a glance (issue 20.2): one plotly figure with a small chart per KPI, built
from the same `kpi_figure` as every other chart (target line, national line, latest value
labelled), with one value scale per unit (and order of magnitude) and one legend. One figure is one image, so the
briefing renders one PNG instead of one per KPI."""

from __future__ import annotations

import math

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from kpi import statuses, units
from kpi.charts import ChartStyle, kpi_figure, y_range
from kpi.metrics import KpiResult

SMALL = ChartStyle(font=12, title=13, ticks=12, legend=12, annotation=12, event=10, event_chars=16,
                   show_title=False, margin_top=10, marker_scale=0.8, short_names=True)


def _values(fig: go.Figure) -> list[float]:
    out: list[float] = []
    for trace in fig.data:
        out += [float(y) for y in (trace.y if trace.y is not None else ()) if y is not None and not math.isnan(float(y))]
    out += [float(s.y0) for s in fig.layout.shapes if s.type == "line" and s.xref == "x domain"]
    return out


def grid(n: int, cols: int) -> tuple[int, int]:
    """(rows, cols) for n charts."""
    cols = max(1, min(cols, n))
    return max(1, math.ceil(n / cols)), cols


SAME_SCALE_FACTOR = 3.0


def shared_scales(results: list[KpiResult], values: list[list[float]]) -> list[list[float]]:
    """Per chart the values its axis must hold: those of every chart of the same unit and the same
    order of magnitude (largest values within SAME_SCALE_FACTOR), so that like is drawn like; 500
    businesses on the axis of 5.000 jobs would be a flat line."""
    out = []
    for r, own in zip(results, values):
        top = max((abs(v) for v in own), default=0.0)
        shared = list(own)
        for other, theirs in zip(results, values):
            peak = max((abs(v) for v in theirs), default=0.0)
            if other is not r and other.indicator.unit == r.indicator.unit and top and peak \
                    and max(top, peak) / min(top, peak) <= SAME_SCALE_FACTOR:
                shared += theirs
        out.append(shared)
    return out


def overview_figure(results: list[KpiResult], width: int, height: int, cols: int = 2) -> go.Figure:
    """The KPIs' charts side by side: title 'name – ✖ achter', the same value scale for KPIs of
    one unit, one shared legend below."""
    rows, cols = grid(len(results), cols)
    # A KPI without any figure yet says so in its title (a small chart has no room for a note).
    titles = [f"{r.indicator.name} – " + ("nog geen meting" if r.series.empty and r.national_series.empty
                                           else statuses.labelled(r.status)) for r in results]
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles or None,
                        vertical_spacing=0.42 / rows, horizontal_spacing=0.1)
    singles = [kpi_figure(r, None, height=height // rows, style=SMALL) for r in results]
    scales = shared_scales(results, [_values(f) for f in singles])
    seen: set[str] = set()
    for i, (r, f) in enumerate(zip(results, singles)):
        row, col = divmod(i, cols)
        row, col = row + 1, col + 1
        for trace in f.data:
            name = trace.name or ""
            trace.legendgroup = name
            trace.showlegend = bool(trace.showlegend is not False and name and name not in seen)
            if trace.showlegend:
                seen.add(name)
            fig.add_trace(trace, row=row, col=col)
        for shape in f.layout.shapes:
            fig.add_shape(shape, row=row, col=col)
        for ann in f.layout.annotations:
            if ann.yref == "paper" or ann.xref == "paper":
                continue  # event labels: no room in a small chart
            fig.add_annotation(ann, row=row, col=col)

        axis = y_range(scales[i], r.indicator.unit)
        rank = units.unit(r.indicator.unit).rank
        y = dict(ticksuffix=f.layout.yaxis.ticksuffix, separatethousands=True, exponentformat="none",
                 tickfont=dict(size=SMALL.ticks))
        if axis is not None:
            bottom, top, step = axis
            y.update(range=[top, bottom] if rank else [bottom, top], autorange=False, tick0=0, dtick=step)
        elif rank:
            y.update(autorange="reversed")
        fig.update_yaxes(row=row, col=col, **y)
        x = f.layout.xaxis
        fig.update_xaxes(row=row, col=col, tickfont=dict(size=SMALL.ticks), range=x.range, tickvals=x.tickvals,
                         ticktext=x.ticktext, tickformat=x.tickformat)
    for ann in fig.layout.annotations[: len(titles)]:
        ann.font = dict(size=SMALL.title)
    fig.update_layout(
        width=width, height=height, separators=",.", template="plotly_white", font=dict(size=SMALL.font),
        margin=dict(l=10, r=10, t=30, b=10), showlegend=True,
        legend=dict(orientation="h", yref="container", yanchor="bottom", y=0, x=0, font=dict(size=SMALL.legend)),
    )
    return fig

"""The benchmark's small multiples: one panel per centre of the werkgroep, the chosen centre
highlighted, the werkgroep's median as a dashed line in every panel. Pure: frames in, figure out."""

from __future__ import annotations

import math

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from kpi import units
from kpi.benchmark import INDEX, Benchmark
from kpi.charts import BLUE, CHART_CONFIG, GREY, ORANGE

__all__ = ["small_multiples", "CHART_CONFIG", "MEDIAN_NAME", "panel_title"]

MEDIAN_NAME = "mediaan werkgroep"
# Two panels a row: legible titles on a phone (390 px) as on a 1280 screen; the figure cannot know the width.
COLUMNS = 2
PANEL_HEIGHT = 190


def panel_title(b: Benchmark, area: str) -> str:
    """A panel's title: the centre, 'gekozen' for the chosen one, 'illustratief' for a fictional
    centre or illustrative figures."""
    row = b.ranking[b.ranking["area"] == area]
    marks = []
    if area == b.area:
        marks.append("gekozen")
    if area in b.fictional:
        marks.append("fictief, illustratief")
    elif not b.series[(b.series["area"] == area) & b.series["illustrative"].astype(bool)].empty:
        marks.append("illustratief")
    place = "" if row.empty or row["rank"].isna().iloc[0] else f"{int(row['rank'].iloc[0])}. "
    text = f"{place}{area}" + (f"<br>({', '.join(marks)})" if marks else "<br> ")
    return f"<b>{text}</b>" if area == b.area else text


def small_multiples(b: Benchmark, columns: int = COLUMNS) -> go.Figure:
    """One small chart per centre (chosen centre first), on one shared value axis."""
    areas = [b.area] + [a for a in b.ranking["area"] if a != b.area]
    rows = max(1, math.ceil(len(areas) / columns))
    fig = make_subplots(rows=rows, cols=columns, shared_xaxes="all", shared_yaxes="all",
                        subplot_titles=[panel_title(b, a) for a in areas],
                        vertical_spacing=0.6 / rows, horizontal_spacing=0.06)
    for i, area in enumerate(areas):
        r, c = divmod(i, columns)
        part = b.series[b.series["area"] == area]
        chosen = area == b.area
        colour = BLUE if chosen else GREY
        if not b.median.empty:
            fig.add_trace(go.Scatter(
                x=b.median["year"], y=b.median["value"], mode="lines", name=MEDIAN_NAME,
                line=dict(color=ORANGE, width=1.5, dash="dash"), legendgroup="median", showlegend=i == 0,
                hovertemplate=f"{MEDIAN_NAME} %{{x}}: %{{y}}<extra></extra>"), row=r + 1, col=c + 1)
        illustrative = part["illustrative"].astype(bool) | (area in b.fictional)
        fig.add_trace(go.Scatter(
            x=part["year"], y=part["value"], mode="lines+markers", name=area, showlegend=False,
            line=dict(color=colour, width=3 if chosen else 1.5),
            marker=dict(color=["white" if f else colour for f in illustrative], size=7,
                        line=dict(color=colour, width=1.5),
                        symbol=["circle-open" if f else "circle" for f in illustrative]),
            text=[b.value_text(v) + (" (illustratief)" if f else "") for v, f in zip(part["value"], illustrative, strict=True)],
            hovertemplate=f"{area} %{{x}}: %{{text}}<extra></extra>"), row=r + 1, col=c + 1)
    fig.update_xaxes(tickformat="d", dtick=_year_step(b), showgrid=False)
    fig.update_yaxes(autorange="reversed" if units.unit(b.unit).rank else True, gridcolor="#E5E5E5",
                     separatethousands=True)
    if b.view == INDEX and b.base_year is not None:
        fig.add_hline(y=100, line=dict(color="#000000", width=1, dash="dot"))
    fig.update_layout(
        height=PANEL_HEIGHT * rows + 90, margin=dict(l=50, r=10, t=60, b=30), plot_bgcolor="white",
        separators=",.", font=dict(size=13), hovermode="closest",
        legend=dict(orientation="h", yanchor="bottom", y=1.0 + 40 / (PANEL_HEIGHT * rows + 90), x=0),
        title=dict(text="", font=dict(size=15)),
    )
    fig.update_annotations(font_size=12)
    return fig


def _year_step(b: Benchmark) -> int:
    years = b.series["year"]
    span = int(years.max() - years.min()) if not years.empty else 0
    return next((s for s in (1, 2, 5, 10) if span / s <= 4), 10)

"""Charts as pure functions from KPI results to plotly figures (no I/O, no streamlit)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from kpi import formatting as fmt
from kpi import units
from kpi.metrics import BELOW_NATIONAL, INCREASE, KpiResult, increase_base, required_value_at
from kpi.metrics import year_x as _fy
from kpi.statuses import STATUSES
from kpi.text import batch_label, increase_label, plain

# Okabe-Ito: distinguishable with the common forms of colour blindness. Orange and grey darkened
# for WCAG 2.1 AA on the white plot: lines and markers 3:1, the event labels (grey text) 4,5:1
# (Okabe-Ito's #E69F00 gives 2,2:1, #7F7F7F 4,0:1); tests/test_contrast.py checks every element.
BLUE, ORANGE, GREEN, VERMILLION, SKY, GREY, BLACK = (
    "#0072B2", "#B37A00", "#009E73", "#D55E00", "#56B4E9", "#707070", "#000000",
)
# The projection: Okabe-Ito's reddish purple (#CC79A7, 3,1:1) darkened to 5:1. Vermillion read as
# the national line's orange; purple is far from blue (the series), orange (national) and green
# (target, required path), tests/test_charts.py measures the distance (CIELAB).
PURPLE = "#A7508A"
# Target and required path: different colours and clearly different dash patterns (issue 19).
TARGET_LINE = dict(color=GREEN, width=2.5, dash="longdash")
PATH_LINE = dict(color=BLACK, width=2, dash="dot")
PROJECTION_LINE = dict(color=PURPLE, width=2.5, dash="dash")
# Read from the one status table (kpi/statuses.py); kept as mappings for existing callers.
STATUS_COLOURS = {s.word: s.hex_colour for s in STATUSES}
STATUS_ICONS = {s.word: s.symbol for s in STATUSES}
ILLUSTRATIVE_LABEL = "ILLUSTRATIEF (geen meting)"
NOT_COUNTED_LABEL = "telt niet mee: er zijn echte metingen"
HISTORY_LABEL = "geschiedenis: vóór het basisjaar, telt niet mee"
# Illustrative values that no longer count: lighter than GREY, still 3:1 on white (#BBBBBB was 1,9:1).
LIGHT_GREY = "#8F8F8F"

# A series with more points than this is drawn as one point per period (the finest of these
# that gives at most this many), so that daily data does not ship every point to the browser.
MAX_POINTS = 500
PERIODS = (("D", "dag"), ("W", "week"), ("M", "maand"), ("Q", "kwartaal"), ("Y", "jaar"))


def _hover(frame: pd.DataFrame, unit: str, decimals: int, area: str) -> list[str]:
    texts = []
    for _, r in frame.iterrows():
        origin = batch_label(r.get("batch_kind"), r.get("batch_file"), r.get("batch_id"))
        batch_txt = f"<br>Herkomst: {_escape(origin)}" if origin else ""
        source = plain(r.get("source"))
        flag = f"<br><b>{ILLUSTRATIVE_LABEL}</b>" if r["illustrative"] else ""
        if r.get("history", False):
            flag += f"<br>{HISTORY_LABEL}"
        elif "counts" in r and not r["counts"]:
            flag += f"<br>{NOT_COUNTED_LABEL}"
        texts.append(
            f"<b>{_escape(area)}</b>: {fmt.value(r['value'], unit, decimals)}"
            f"<br>Peildatum: {fmt.peildatum(r['peildatum'], r['precision'])}"
            + (f"<br>Bron: {_escape(source)}" if source else "") + f"{batch_txt}{flag}"
        )
    return texts


def _escape(text: str) -> str:
    """Plotly renders a subset of HTML in hover text: show user text literally."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _shorten(text: str, limit: int) -> str:
    """Cut before escaping, so an HTML entity is never cut in half."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def aggregation_period(dates: pd.Series, limit: int = MAX_POINTS) -> tuple[str, str] | None:
    """None when `limit` points or fewer; else the finest period (pandas code, Dutch word) that
    leaves at most `limit` points, a year at the coarsest."""
    if len(dates) <= limit:
        return None
    dates = pd.to_datetime(dates)
    for freq, word in PERIODS:
        if dates.dt.to_period(freq).nunique() <= limit:
            return freq, word
    return PERIODS[-1]


def aggregate(frame: pd.DataFrame, freq: str) -> pd.DataFrame:
    """One row per period: the mean value at the period's start, with count, lowest, highest,
    first and last peildatum, sources and whether any value is illustrative."""
    dates = pd.to_datetime(frame["peildatum"])
    grouped = frame.assign(peildatum=dates).groupby(dates.dt.to_period(freq), sort=True)
    out = grouped.agg(value=("value", "mean"), low=("value", "min"), high=("value", "max"),
                      n=("value", "size"), first=("peildatum", "min"), last=("peildatum", "max"),
                      illustrative=("illustrative", "any"))
    out["sources"] = grouped["source"].agg(lambda col: ", ".join(dict.fromkeys(col.astype(str))))
    out["peildatum"] = out.index.to_timestamp()
    return out.reset_index(drop=True)


def _aggregate_hover(agg: pd.DataFrame, word: str, unit: str, decimals: int, area: str) -> list[str]:
    texts = []
    for row in agg.itertuples(index=False):
        flag = f"<br><b>{ILLUSTRATIVE_LABEL}</b> (deels)" if row.illustrative else ""
        texts.append(
            f"<b>{_escape(area)}</b>: {fmt.value(row.value, unit, decimals)} (gemiddelde per {word})"
            f"<br>{fmt.count(row.n, 'meting', 'metingen')}, {fmt.day(row.first)} t/m {fmt.day(row.last)}"
            f"<br>laagste {fmt.value(row.low, unit, decimals)}, hoogste {fmt.value(row.high, unit, decimals)}"
            f"<br>Bron: {_escape(_shorten(row.sources, 120))}{flag}"
        )
    return texts


def _exact_rows(frame: pd.DataFrame, measurements) -> pd.DataFrame:
    """The rows of `frame` that are these measurements (the ones a verdict names)."""
    keys = {(pd.Timestamp(m.peildatum), m.precision, m.value) for m in measurements if m is not None}
    mask = [(pd.Timestamp(d), p, v) in keys for d, p, v in zip(frame["peildatum"], frame["precision"], frame["value"])]
    return frame[mask]


def _markers(fig: go.Figure, part: pd.DataFrame, name: str, marker: dict, keep, ind, area: str,
             **legend) -> None:
    """The points of `part` as one marker trace; beyond MAX_POINTS one point per period (the
    period named in legend and hover) plus the measurements in `keep` drawn exactly. `legend`:
    legendgroup and showlegend, passed on to the traces."""
    if part.empty:
        return
    period = aggregation_period(part["peildatum"])
    if period is None:
        fig.add_trace(go.Scatter(x=part["peildatum"], y=part["value"], mode="markers", name=name, marker=marker,
                                 hovertext=_hover(part, ind.unit, ind.decimals, area), hoverinfo="text", **legend))
        return
    freq, word = period
    agg = aggregate(part, freq)
    fig.add_trace(go.Scatter(
        x=agg["peildatum"], y=agg["value"], mode="markers", name=f"{name}, gemiddelde per {word}",
        marker={**marker, "size": 6}, hovertext=_aggregate_hover(agg, word, ind.unit, ind.decimals, area),
        hoverinfo="text", **legend,
    ))
    exact = _exact_rows(part, keep)
    if not exact.empty:
        fig.add_trace(go.Scatter(x=exact["peildatum"], y=exact["value"], mode="markers", name=name, marker=marker,
                                 hovertext=_hover(exact, ind.unit, ind.decimals, area), hoverinfo="text", **legend))


def _line_points(counted: pd.DataFrame, latest) -> tuple[list, list]:
    """The series line: every point, or beyond MAX_POINTS the period means ending in the newest value."""
    period = aggregation_period(counted["peildatum"])
    if period is None:
        return list(counted["peildatum"]), list(counted["value"])
    agg = aggregate(counted, period[0])
    xs, ys = list(agg["peildatum"]), list(agg["value"])
    if latest is not None and pd.Timestamp(latest.peildatum) > xs[-1]:
        xs.append(pd.Timestamp(latest.peildatum))
        ys.append(latest.value)
    return xs, ys


@dataclass(frozen=True)
class ChartStyle:
    """Type sizes (px) and layout of a chart for one kind of screen; every text part has its own size."""

    font: int  # hover text, axis titles
    title: int
    ticks: int
    legend: int
    annotation: int  # target label, national label
    event: int  # the events' vertical labels
    event_chars: int = 40  # an event's label is cut to this many characters (it runs down the plot)
    show_title: bool = True
    margin_top: int = 60
    marker_scale: float = 1.0
    # Legend names without the area ("meting" instead of "Assen binnenstad (meting)"): on the
    # beamer six long entries stacked one per row and left the plot about 160 px of 420.
    short_names: bool = False


# The dashboard page and the reports (PNG in PDF and PowerPoint).
SCREEN = ChartStyle(font=15, title=18, ticks=15, legend=15, annotation=15, event=11)
# A beamer at 1280x720, read from the back of a room: no text under 20 px. The page's h1 names
# the KPI, so the chart has no title of its own.
MEETING = ChartStyle(font=20, title=24, ticks=20, legend=20, annotation=20, event=20, event_chars=22,
                     show_title=False, margin_top=24, marker_scale=1.2, short_names=True)
MEETING_HEIGHT = 420  # px: the right-hand column of one 1280x720 meeting screen (screens/vergadering.py)
# With the regiegroep's duiding under the chart (cause, effect, bijsturing, author: four lines) the
# chart gives up what they take, so the screen's Vorige/Volgende stay on 1280x720 (issue 20).
MEETING_HEIGHT_WITH_DUIDING = 340

# plotly.js options for every chart on a page. No toolbar: on a phone it covered the chart title,
# and the plotly.js in Streamlit registers only the English locale, so its tooltips ("Download plot
# as a PNG", "Zoom", ...) cannot be Dutch. Drag to zoom and double-click to reset still work; the
# chart as an image is in the reports (PDF, PowerPoint).
CHART_CONFIG = {"displayModeBar": False, "displaylogo": False}

# Value axis (see y_range): where an axis may start and end per unit, the smallest span it shows
# and the room left beyond the outermost value.
MIN_SPAN_SHARE = 0.25
AXIS_MARGIN = 0.08
NICE_STEPS = (1.0, 2.0, 2.5, 5.0)


def _nice_step(raw: float, whole: bool) -> float:
    """The smallest of 1, 2, 2,5 or 5 times a power of ten that is at least `raw`."""
    power = 10.0 ** math.floor(math.log10(raw))
    step = next((k * power for k in NICE_STEPS if k * power >= raw * (1 - 1e-9)), 10 * power)
    return max(1.0, round(step)) if whole else step


def y_range(values: Iterable[float], unit: str) -> tuple[float, float, float] | None:
    """(bottom, top, tick step) of the value axis, so that no chart exaggerates or hides a change.

    The rule:
    1. The axis shows every value drawn (measurements, baseline, required path, projection), the
       target and, for vacancy, the national series.
    2. Percentages start at 0%: the national vacancy line is then never below the lowest tick.
    3. It spans at least 3 points on a rating (1-10), so a rise of 0,3 is at most a tenth of the
       height, and for other units at least a quarter of the largest value (a 10% change is then at
       most 40% of the height); the extra span goes down, towards the floor, then up.
    4. 8% of the span is added beyond the outermost values (markers and the target label), and both
       ends are rounded out to a tick (steps of 1, 2, 2,5 or 5 times a power of ten, about six of
       them), so the lowest and the highest value always have a labelled tick at or beyond them.
    5. Never below 0 (0,5 for a ranking, whose axis is drawn reversed), never above 100% or a 10.
    None without values (plotly then chooses).
    """
    ys = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    if not ys:
        return None
    u = units.unit(unit)
    floor, ceiling = u.axis_floor, u.axis_ceiling
    if floor is not None:
        ys = [max(y, floor) for y in ys]  # a projection below the floor is cut off by the plot area
    if ceiling is not None:
        ys = [min(y, ceiling) for y in ys]
    lo, hi = min(ys), max(ys)
    if u.axis_from_zero:
        lo = min(lo, 0.0)
    min_span = u.min_span if u.min_span is not None else MIN_SPAN_SHARE * max(abs(lo), abs(hi))
    if hi - lo < min_span:
        lo = hi - min_span if floor is None else max(floor, hi - min_span)
        hi = lo + min_span if ceiling is None else min(ceiling, lo + min_span)
    span = (hi - lo) or 1.0
    lo, hi = lo - AXIS_MARGIN * span, hi + AXIS_MARGIN * span
    step = _nice_step((hi - lo) / 6, whole=u.whole)
    bottom, top = math.floor(lo / step + 1e-9) * step, math.ceil(hi / step - 1e-9) * step
    if floor is not None:
        bottom = max(bottom, floor)
    if ceiling is not None:
        top = min(top, ceiling)
    return round(bottom, 9), round(top, 9), step


def _drawn_values(fig: go.Figure) -> list[float]:
    """Every y value of the figure's traces and horizontal lines."""
    out: list[float] = []
    for trace in fig.data:
        out += [float(y) for y in (trace.y if trace.y is not None else ()) if y is not None and pd.notna(y)]
    out += [float(s.y0) for s in fig.layout.shapes if s.type == "line" and s.xref == "x domain"]
    return out


def _year_ts(year: float) -> pd.Timestamp:
    return pd.Timestamp(year=int(year), month=1, day=1)


def legend_names(area: str, short: bool) -> dict[str, str]:
    """The legend's names per kind of trace; `short` leaves the area out (the page names it)."""
    prefix = "" if short else f"{area} – "
    return {
        "history": f"{prefix}geschiedenis (vóór het basisjaar)" if not short else "vóór het basisjaar",
        "greyed": f"{prefix}illustratief, telt niet mee",
        "real": "meting" if short else f"{area} (meting)",
        "demo": f"{prefix}illustratief",
        "national": "Landelijk" if short else "Landelijk (doel: eronder)",
        "national_greyed": "Landelijk – illustratief, telt niet mee",
        "projection": "Projectie" if short else "Projectie (trend)",
    }


# At most this many year labels on the time axis; the step is 1, 2, 5 or 10 years.
MAX_YEAR_TICKS = 8
YEAR_STEPS = (1, 2, 5, 10)


def year_ticks(first: int, last: int, horizon: int | None, limit: int = MAX_YEAR_TICKS) -> list[int]:
    """The labelled years of the time axis: counted back from the horizon year (else the last
    year) in the smallest step that gives at most `limit` labels, so the horizon is always one."""
    anchor = horizon if horizon is not None else last
    last = max(last, anchor)
    step = next((k for k in YEAR_STEPS if (last - first) // k + 1 <= limit), YEAR_STEPS[-1])
    return sorted(y for y in range(anchor, first - 1, -step) if y <= last)


def _x_values(fig: go.Figure) -> list[pd.Timestamp]:
    out: list[pd.Timestamp] = []
    for trace in fig.data:
        out += [pd.Timestamp(x) for x in (trace.x if trace.x is not None else ()) if x is not None and pd.notna(x)]
    return out


def _time_axis(xs: list[pd.Timestamp], horizon: int | None) -> dict:
    """Range and year ticks of the time axis: everything drawn plus the horizon year, with the
    horizon year labelled (bold) on the axis."""
    if horizon is not None:
        xs = [*xs, _year_ts(horizon)]
    if not xs:
        return {}
    lo, hi = min(xs), max(xs)
    pad = max(pd.Timedelta(days=120), (hi - lo) * 0.04)
    axis: dict = {"range": [lo - pad, hi + pad], "autorange": False, "type": "date"}
    if hi.year - lo.year >= 2:
        years = year_ticks(lo.year, hi.year, horizon)
        axis["tickvals"] = [_year_ts(y) for y in years]
        axis["ticktext"] = [f"<b>{y}</b>" if y == horizon else str(y) for y in years]
    return axis


def kpi_figure(r: KpiResult, events: pd.DataFrame | None = None, height: int = 460,
               style: ChartStyle = SCREEN) -> go.Figure:
    """Time series with target line, baseline, required path, projection, national series
    (vacancy) and events; illustrative points drawn hollow and labelled in the hover.
    `style` sets the type sizes (SCREEN for page and reports, MEETING for the beamer); the value
    axis follows `y_range`. Built in small steps, each adding one part of the chart."""
    names = legend_names(r.area, style.short_names)
    fig = go.Figure()
    greyed_shown = _add_area_series(fig, r, names)
    _add_national_series(fig, r, names, style, greyed_shown)
    _add_target_line(fig, r, style)
    _add_baseline(fig, r)
    _add_required_path(fig, r)
    proj = _add_projection(fig, r, names)
    event_dates = _add_events(fig, r, events, style)
    _add_latest_label(fig, r, proj, style)
    _scale_markers(fig, style)
    # The baseline year belongs on the time axis even before the first figure (a new goal).
    start = [_year_ts(r.target.baseline_year)] if r.target.baseline_year else []
    _lay_out(fig, r, style, height, _time_axis(_x_values(fig) + event_dates + start, r.target.horizon))
    if r.series.empty and r.national_series.empty:
        fig.add_annotation(text="Nog geen meting", xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                           font=dict(size=style.annotation, color=BLACK))
    return fig


def _add_area_series(fig: go.Figure, r: KpiResult, names: dict) -> bool:
    """The area's line and markers: counting, illustrative (hollow), greyed and older ones.
    Whether the greyed points have a legend entry."""
    ind, s = r.indicator, r.series
    greyed_shown = False
    if not s.empty:
        counted = s[s["counts"]] if "counts" in s else s
        real = counted[~counted["illustrative"]]
        demo = counted[counted["illustrative"]]
        history = s["history"].astype(bool) if "history" in s else pd.Series(False, index=s.index)
        greyed = s[~s["counts"] & ~history] if "counts" in s else s.iloc[0:0]
        older = s[history]
        greyed_shown = not greyed.empty
        keep = (r.latest, r.previous, r.reached)
        if not counted.empty:
            xs, ys = _line_points(counted, r.latest)
            fig.add_trace(go.Scatter(
                x=xs, y=ys, mode="lines", name=r.area, showlegend=False,
                line=dict(color=BLUE, width=3), hoverinfo="skip",
            ))
        _markers(fig, older, names["history"],
                 dict(color=LIGHT_GREY, size=9, symbol="square-open", line=dict(width=2)), keep, ind, r.area)
        _markers(fig, greyed, names["greyed"],
                 dict(color=LIGHT_GREY, size=9, symbol="circle-open", line=dict(width=2)), keep, ind, r.area,
                 legendgroup="greyed")
        _markers(fig, real, names["real"], dict(color=BLUE, size=10, symbol="circle"), keep, ind, r.area)
        _markers(fig, demo, names["demo"],
                 dict(color=BLUE, size=10, symbol="circle-open", line=dict(width=2)), keep, ind, r.area)
    return greyed_shown


def _add_national_series(fig: go.Figure, r: KpiResult, names: dict, style: ChartStyle, greyed_shown: bool) -> None:
    """For a 'below national' target: the national series (averaged per period when dense), the
    exact points compared with, its greyed points and its name at the newest point."""
    ind, t = r.indicator, r.target
    if t.comparison == BELOW_NATIONAL and not r.national_series.empty:
        n_all = r.national_series
        n = n_all[n_all["counts"]] if "counts" in n_all else n_all
        n_grey = n_all[~n_all["counts"]] if "counts" in n_all else n_all.iloc[0:0]
        period = aggregation_period(n["peildatum"])
        if period is None:
            n_name, n_hover = names["national"], _hover(n, ind.unit, ind.decimals, "Landelijk")
        else:
            n = aggregate(n, period[0])
            n_name = f"{names['national']}, gemiddelde per {period[1]}"
            n_hover = _aggregate_hover(n, period[1], ind.unit, ind.decimals, "Landelijk")
        fig.add_trace(go.Scatter(
            x=n["peildatum"], y=n["value"], mode="lines+markers", name=n_name,
            showlegend=not (style.short_names and r.national is not None),
            line=dict(color=ORANGE, width=2), marker=dict(symbol=["diamond-open" if i else "diamond" for i in n["illustrative"]], size=9),
            hovertext=n_hover, hoverinfo="text",
        ))
        if period is not None:
            exact = _exact_rows(n_all, (r.national,))
            if not exact.empty:
                fig.add_trace(go.Scatter(
                    x=exact["peildatum"], y=exact["value"], mode="markers", name="Landelijk (vergeleken)",
                    marker=dict(color=ORANGE, size=11, symbol="diamond"),
                    hovertext=_hover(exact, ind.unit, ind.decimals, "Landelijk"), hoverinfo="text",
                ))
        # Short legend (beamer): the national greyed points share the entry of the area's greyed
        # ones, and the national line, named at its end, has no entry of its own.
        _markers(fig, n_grey, names["national_greyed"],
                 dict(color=LIGHT_GREY, size=9, symbol="diamond-open", line=dict(width=2)), (), ind, "Landelijk",
                 legendgroup="greyed", showlegend=not (style.short_names and greyed_shown))
        if r.national is not None:
            # Named at its newest point as well: on a beamer the legend is far from the line.
            fig.add_annotation(x=r.national.peildatum, y=r.national.value, xanchor="left", yanchor="top",
                               text=f"Landelijk {fmt.value(r.national.value, ind.unit, ind.decimals)}",
                               showarrow=False, xshift=6, yshift=-4, font=dict(size=style.annotation, color=BLACK))


def _add_target_line(fig: go.Figure, r: KpiResult, style: ChartStyle) -> None:
    """The target as a horizontal line with its value and year."""
    ind, t = r.indicator, r.target
    if t.comparison == INCREASE:
        # An increase goal is a change, not a level: its line is the stand it counts from plus the
        # change (as the verdict judges it), and there is none while that stand is unknown.
        counted = r.series[r.series["counts"]] if "counts" in r.series else r.series
        stand = increase_base(t, counted)[0] if not counted.empty or t.baseline_value is not None else None
        if stand is None or t.target_value is None:
            return
        goal = stand + t.target_value
        label = (f"Doel {fmt.value(goal, ind.unit, ind.decimals)} "
                 f"({increase_label(t.target_value, t.baseline_year, ind.unit, ind.decimals)}"
                 + (f", {t.target_year})" if t.target_year else ")"))
        fig.add_hline(y=goal, line=TARGET_LINE, annotation_text=label, annotation_position="top left",
                      annotation_font=dict(size=style.annotation))
        return
    if t.comparison != BELOW_NATIONAL and t.target_value is not None:
        label = f"Doel {fmt.value(t.target_value, ind.unit, ind.decimals)}" + (f" ({t.target_year})" if t.target_year else "")
        fig.add_hline(y=t.target_value, line=TARGET_LINE,
                      annotation_text=label, annotation_position="top left",
                      annotation_font=dict(size=style.annotation))


def _add_baseline(fig: go.Figure, r: KpiResult) -> None:
    """The baseline as a hollow square with its source in the hover."""
    ind, t = r.indicator, r.target
    if t.baseline_value is not None and t.baseline_year is not None:
        fig.add_trace(go.Scatter(
            x=[_year_ts(t.baseline_year)], y=[t.baseline_value], mode="markers", name="Basiswaarde",
            marker=dict(color=BLACK, size=12, symbol="square-open", line=dict(width=2)),
            hovertext=[f"Basiswaarde {fmt.value(t.baseline_value, ind.unit, ind.decimals)} ({t.baseline_year})<br>Bron: {_escape(t.source)}"],
            hoverinfo="text",
        ))


def _add_required_path(fig: go.Figure, r: KpiResult) -> None:
    """The straight path from the baseline to the target in the horizon year."""
    path = required_path_points(r)
    if path is not None:
        fig.add_trace(go.Scatter(
            x=path["x"], y=path["y"], mode="lines", name="Benodigd pad",
            line=PATH_LINE, hoverinfo="skip",
        ))


def _add_projection(fig: go.Figure, r: KpiResult, names: dict) -> dict | None:
    """The trend's pace drawn on to the horizon; its points (None without a projection)."""
    ind = r.indicator
    proj = projection_points(r)
    if proj is not None:
        fig.add_trace(go.Scatter(
            x=proj["x"], y=proj["y"], mode="lines", name=names["projection"],
            line=PROJECTION_LINE,
            hovertext=[f"Projectie {fmt.value(v, ind.unit, ind.decimals)} ({x.year})" for x, v in zip(proj["x"], proj["y"])],
            hoverinfo="text",
        ))
    return proj


def _add_events(fig: go.Figure, r: KpiResult, events: pd.DataFrame | None, style: ChartStyle) -> list[pd.Timestamp]:
    """Events of this KPI (or of all KPIs) as dotted vertical lines with their text; their dates."""
    ind = r.indicator
    event_dates: list[pd.Timestamp] = []
    if events is not None and not events.empty:
        for _, e in events.iterrows():
            if e.get("indicator") and not pd.isna(e.get("indicator")) and e["indicator"] != ind.code:
                continue
            x = pd.Timestamp(e["event_date"])
            event_dates.append(x)
            fig.add_vline(x=x.timestamp() * 1000, line=dict(color=GREY, width=1, dash="dot"))
            fig.add_annotation(x=x, y=1, yref="paper", text=_escape(_shorten(str(e["text"]), style.event_chars)),
                               showarrow=False, textangle=-90, xanchor="right", yanchor="top",
                               font=dict(size=style.event, color=GREY))
    return event_dates


def _add_latest_label(fig: go.Figure, r: KpiResult, proj: dict | None, style: ChartStyle) -> None:
    """The newest value named at the line's end."""
    ind = r.indicator
    if r.latest is not None:
        # The newest value named at the line's end, so no one reads it off the axis: right of the
        # point, on the side the projection does not go to (the line comes from the left).
        ahead = proj["y"][-1] if proj is not None else r.latest.value
        rising = ahead > r.latest.value
        below = rising != units.unit(ind.unit).rank  # a ranking's axis is drawn reversed
        fig.add_annotation(x=r.latest.peildatum, y=r.latest.value, xanchor="left",
                           yanchor="top" if below else "bottom", yshift=-8 if below else 8, xshift=4,
                           text=fmt.value(r.latest.value, ind.unit, ind.decimals), showarrow=False,
                           name="latest", font=dict(size=style.annotation, color=BLUE))


def _scale_markers(fig: go.Figure, style: ChartStyle) -> None:
    """Markers sized for the style (larger on the beamer)."""
    if style.marker_scale != 1:
        for trace in fig.data:
            if trace.marker is not None and trace.marker.size is not None:
                trace.marker.size = round(trace.marker.size * style.marker_scale)


def _lay_out(fig: go.Figure, r: KpiResult, style: ChartStyle, height: int, time_axis: dict) -> None:
    """Title with the illustrative flag, legend below, the value axis from `y_range` (reversed
    for a ranking), the time axis, Dutch number separators."""
    ind = r.indicator
    # The flag as a subtitle: one long title line was cut off at the right on a phone.
    flag = ("oordeel rust op illustratieve waarden" if r.illustrative
            else "illustratieve waarden grijs, tellen niet mee" if r.shows_illustrative else "")
    reversed_axis = units.unit(ind.unit).rank  # 1 = best, at the top
    axis = y_range(_drawn_values(fig), ind.unit)
    if axis is None:
        y_scale: dict = {"autorange": "reversed" if reversed_axis else True}
    else:
        bottom, top, step = axis
        y_scale = {"range": [top, bottom] if reversed_axis else [bottom, top], "autorange": False,
                   "tick0": 0, "dtick": step}
    fig.update_layout(
        # Title and subtitle at the top of the figure, clear of the highest tick label.
        title=dict(text=_escape(ind.name) if style.show_title else "", font=dict(size=style.title),
                   yref="container", y=1, yanchor="top", pad=dict(t=12),
                   subtitle=dict(text=flag if style.show_title else "", font=dict(size=style.font))),
        height=height, separators=",.",
        margin=dict(l=10, r=10, t=style.margin_top + (30 if flag and style.show_title else 0), b=10),
        hovermode="closest",
        # At the bottom of the figure, horizontal: plotly wraps the entries to the next row when
        # they do not fit (a fixed entry width made them overlap on a phone) and makes room for
        # them (placed in plot fractions, large tick labels ran into the legend).
        # When the entries do not fit on one row plotly gives each the widest one's width (a grid):
        # the meeting style's short names (ChartStyle.short_names) keep that to two or three columns.
        legend=dict(orientation="h", yref="container", yanchor="bottom", y=0, x=0, font=dict(size=style.legend)),
        # separators: decimal comma, thousands dot; plotly leaves 4-digit ticks unseparated
        # ('5000' beside 'Doel 5.000') unless told to separate them too.
        yaxis=dict(ticksuffix=units.unit(ind.unit).suffix, separatethousands=True, exponentformat="none",
                   title=dict(text="plaats (1 = beste)" if reversed_axis else None, font=dict(size=style.font)),
                   tickfont=dict(size=style.ticks), **y_scale),
        xaxis=dict(title=None, tickfont=dict(size=style.ticks), **time_axis),
        hoverlabel=dict(font=dict(size=style.font)),
        template="plotly_white", font=dict(size=style.font),
    )


def required_path_points(r: KpiResult) -> dict | None:
    """Two points of the required path (baseline to the horizon year), or None without one."""
    t = r.target
    if t.comparison == BELOW_NATIONAL or None in (t.baseline_value, t.baseline_year, t.target_value, t.horizon):
        return None
    return {"x": [_year_ts(t.baseline_year), _year_ts(t.horizon)],
            "y": [t.baseline_value, required_value_at(t, t.horizon)]}


def projection_points(r: KpiResult, years_ahead: int = 5) -> dict | None:
    """The pace of the trend (the one the verdict uses, over counting measurements only) drawn on
    from the newest measurement to the horizon year (or 5 years on)."""
    tr = r.trend
    if r.latest is None or tr is None:
        return None
    t = r.target
    x0 = _fy(r.latest.peildatum, r.latest.precision)
    year = r.latest.peildatum.year
    end = t.horizon if t.horizon and t.horizon > year else year + years_ahead
    if t.comparison == BELOW_NATIONAL:
        if r.national is None:
            return None
        # Projected vacancy = national figure now + the gap going on at its pace.
        return {"x": [r.latest.peildatum, _year_ts(end)],
                "y": [r.latest.value, r.national.value + tr.from_point(x0, r.gap_pp, end)]}
    return {"x": [r.latest.peildatum, _year_ts(end)], "y": [r.latest.value, tr.from_point(x0, r.latest.value, end)]}


SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 300, 44, 4


def sparkline_svg(values, colour: str = BLUE, dates=None) -> str | None:
    """A small trend line for an overview card, as SVG markup; None with fewer than two values.

    Plain SVG instead of a chart element (st.metric's chart_data): the overview's first paint
    then needs no charting library in the browser (about 0,5 s of a cold start, bench/NOTES.md).
    With `dates` (one per value) the points are spaced by date, so 2017, 2025 and 2026 do not
    look equally far apart; without, evenly. Only numbers go into the markup.
    """
    pairs = [(float(v), d) for v, d in zip(values, dates if dates is not None else [None] * len(values))
             if v is not None and pd.notna(v)]
    if len(pairs) < 2:
        return None
    ys = [v for v, _ in pairs]
    lo, hi = min(ys), max(ys)
    inner_w, inner_h = SPARK_WIDTH - 2 * SPARK_PAD, SPARK_HEIGHT - 2 * SPARK_PAD
    if dates is not None:
        days = [pd.Timestamp(d).value for _, d in pairs]
        first, span = min(days), (max(days) - min(days)) or 1
        xs = [SPARK_PAD + (d - first) / span * inner_w for d in days]
    else:
        xs = [SPARK_PAD + i * inner_w / (len(ys) - 1) for i in range(len(ys))]
    ps = [SPARK_PAD + (inner_h / 2 if hi == lo else (hi - y) / (hi - lo) * inner_h) for y in ys]
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ps))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}" '
        f'viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}">'
        f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5" '
        'stroke-linejoin="round" stroke-linecap="round"/>'
        f'<circle cx="{xs[-1]:.1f}" cy="{ps[-1]:.1f}" r="4" fill="{colour}"/></svg>'
    )

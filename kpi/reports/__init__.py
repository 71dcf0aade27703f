"""Briefing exports for the regiegroep and the gemeenteraad: PDF, PowerPoint, PNG, CSV, XLSX.

`load_report` gathers the data once; `chart_images` turns every KPI chart into a PNG on
one Chromium; `render` builds the document. The CLI, the Rapporten page and the benchmark
all go through `build`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from kpi import formatting as fmt_
from kpi.export import csv_bytes, xlsx_bytes
from kpi.names import slug
from kpi.reports.errors import ReportError
from kpi.reports.images import ImageError, kaleido_server, png
from kpi.reports.model import PDF_CHART_PX, ReportData, figure, load_report
from kpi.settings import Settings
from kpi.tables import events_frame, figures_frame, for_people, status_frame
from kpi.werkplan.brief import werkplan_frame

FORMATS = {
    "pdf": ("application/pdf", "pdf"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("text/csv", "csv"),
    "png": ("image/png", "png"),
}
_SCALE = 2  # sharp on a projector and in print


def chart_png(report: ReportData, code: str, size: tuple[int, int] = PDF_CHART_PX) -> bytes:
    """One KPI's chart as PNG (`size` in layout pixels, rendered at twice that)."""
    r = next(r for r in report.results if r.indicator.code == code)
    return png(figure(report, r, height=size[1]), width=size[0], height=size[1], scale=_SCALE)


def chart_images(report: ReportData, size: tuple[int, int] = PDF_CHART_PX) -> dict[str, bytes]:
    """Every KPI's chart as PNG, all on one kaleido server."""
    with kaleido_server():
        # The browser starts in a background thread: build the figures meanwhile.
        figures = {r.indicator.code: figure(report, r, height=size[1]) for r in report.results}
        return {code: png(fig, width=size[0], height=size[1], scale=_SCALE) for code, fig in figures.items()}


def overview_png(report: ReportData, size: tuple[int, int], cols: int) -> bytes:
    """All KPI charts at a glance as one PNG (`size` in layout pixels, rendered at twice that)."""
    from kpi.reports.multiples import overview_figure

    with kaleido_server():
        # The browser starts in a background thread: build the figure meanwhile.
        fig = overview_figure(report.results, size[0], size[1], cols=cols)
        return png(fig, width=size[0], height=size[1], scale=_SCALE)


def render(report: ReportData, fmt: str) -> bytes:
    """The report in one format: pdf, pptx (with charts), xlsx or csv (all figures)."""
    if fmt == "pdf":
        from kpi.reports.fonts import find_fonts

        find_fonts()  # a missing font should not cost the charts' rendering first
        # Imported while Chromium starts (fpdf2 and fontTools take a second on first import).
        from kpi.reports.pdf import OVERVIEW, OVERVIEW_PX, pdf_bytes

        return pdf_bytes(report, {OVERVIEW: overview_png(report, OVERVIEW_PX, cols=2)})
    if fmt == "pptx":
        from kpi.reports.fonts import find_fonts

        find_fonts()
        from kpi.reports.deck import OVERVIEW, OVERVIEW_PX, pptx_bytes

        return pptx_bytes(report, {OVERVIEW: overview_png(report, OVERVIEW_PX, cols=3)})
    if fmt == "xlsx":
        # For people: human headers, and the werkplan's actions (issue 19.16); the CSV below keeps
        # the machine-readable column names.
        sheets = {
            "Status": for_people(status_frame(report.results)), "Cijfers": for_people(figures_frame(report.results)),
            "Gebeurtenissen": for_people(events_frame(report.events, report.results)),
        }
        if report.werkplan is not None:
            sheets["Werkplan"] = werkplan_frame(report.werkplan)
        return xlsx_bytes(sheets)
    if fmt == "csv":
        return csv_bytes(figures_frame(report.results))
    raise ValueError(f"onbekend formaat: {fmt}")


def build(engine: Engine, settings: Settings, fmt: str, as_of_day: dt.date | None = None,
          today: dt.date | None = None, as_of: dt.datetime | None = None, *, briefing: int | None = None) -> bytes:
    """Load and render in one go; `as_of_day`: the data as known at the end of that date (UTC);
    `as_of`: as known at that moment (UTC), for two imports on the same day; `briefing`: the
    stored briefing with this number, made again from what it recorded."""
    if as_of is None:
        as_of = fmt_.end_of_day(as_of_day) if as_of_day else None

    def load() -> ReportData:
        return load_report(engine, settings, today=today, as_of=as_of, briefing=briefing)

    if fmt not in ("pdf", "pptx"):
        return render(load(), fmt)
    with kaleido_server():  # Chromium starts while the data loads
        return render(load(), fmt)


def file_name(report: ReportData, fmt: str) -> str:
    """'binnenstadmonitor-assen-binnenstad-2026-11-22.pdf': the centre (two centres' downloads are
    told apart) and the as-of date when given."""
    day = report.as_of.date() if report.as_of else report.today
    return f"binnenstadmonitor-{slug(report.area)}-{day.isoformat()}.{FORMATS[fmt][1]}"


__all__ = [
    "FORMATS", "ImageError", "ReportData", "ReportError", "build", "chart_images", "chart_png", "file_name",
    "kaleido_server", "load_report", "overview_png", "render",
]

"""The PDF briefing (fpdf2): title page with data currency and status table, a page per KPI.

Text is set in DejaVu Sans, embedded, so every Dutch character and the status icons print.
Stored text (sources, notes, events) is written as plain text: fpdf2 interprets markup only
when asked (markdown=True), and this module never asks.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from kpi import formatting as fmt
from kpi import statuses
from kpi.export import printable
from kpi.metrics import KpiResult
from kpi.reports.errors import ReportError
from kpi.reports.model import (
    ILLUSTRATIVE_NOTICE,
    KPI_GREYED_NOTICE,
    KPI_ILLUSTRATIVE_NOTICE,
    PDF_CHART_PX,
    ReportData,
    currency_lines,
    sources,
)
from kpi.tables import key_figures, status_table
from kpi.text import summary_sentence
from kpi.werkplan.brief import NOTICE as WERKPLAN_NOTICE
from kpi.werkplan.brief import WerkplanBrief, overview_lines
from kpi.werkplan.tables import cell_rgb, doc_table

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
FAMILY = "DejaVu"
MARGIN = 18
ORANGE_FILL = (253, 236, 200)
GREY_TEXT = (90, 90, 90)


class FontMissing(ReportError):
    """No Unicode TrueType font found; the message is Dutch and user-facing."""


def find_fonts() -> tuple[Path, Path]:
    """Paths of DejaVu Sans regular and bold (Debian fonts-dejavu-core), via fc-match as fallback."""
    for d in FONT_DIRS:
        regular, bold = d / "DejaVuSans.ttf", d / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    if shutil.which("fc-match"):
        found = []
        for pattern in ("DejaVu Sans:style=Book", "DejaVu Sans:style=Bold"):
            out = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True)
            path = Path(out.stdout.strip())
            if path.suffix.lower() == ".ttf" and path.is_file():
                found.append(path)
        if len(found) == 2:
            return found[0], found[1]
    raise FontMissing(
        "Het PDF-rapport kan niet worden gemaakt: het lettertype DejaVu Sans ontbreekt "
        "(installeer het Debian-pakket fonts-dejavu-core)."
    )


class _Briefing(FPDF):
    def __init__(self, area: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.area = area
        regular, bold = find_fonts()
        self.add_font(FAMILY, "", str(regular))
        self.add_font(FAMILY, "B", str(bold))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        self.set_lang("nl-NL")
        self.set_creator("Binnenstadmonitor")

    def normalize_text(self, text: str) -> str:
        """Every string fpdf2 writes passes here: drop control characters stored text may hold."""
        return super().normalize_text(printable(text))

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*GREY_TEXT)
        self.cell(0, 5, f"Binnenstadmonitor · {self.area} · pagina {self.page_no()} van {{nb}}", align="C")
        self.set_text_color(0, 0, 0)

    # -- small building blocks ------------------------------------------------------------
    def heading(self, text: str, size: float = 16) -> None:
        self.set_font(FAMILY, "B", size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def para(self, text: str, size: float = 10.5, bold: bool = False, colour=None) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)
        if colour:
            self.set_text_color(*colour)
        self.multi_cell(0, size * 0.48, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.ln(1.5)

    def notice(self, text: str) -> None:
        self.set_font(FAMILY, "B", 10.5)
        self.set_fill_color(*ORANGE_FILL)
        self.multi_cell(0, 5.5, text, border=1, fill=True, align="L", padding=2,
                        new_x="LMARGIN", new_y="NEXT")
        # fpdf2 tables fill their cells with the current fill colour: reset it.
        self.set_fill_color(255, 255, 255)
        self.ln(3)


def _counts(report: ReportData) -> str:
    parts = [f"{n} {s}" for s, n in statuses.counts([r.status for r in report.results])]
    return "Stand: " + (", ".join(parts) if parts else "nog geen KPI's") + "."


def _title_page(pdf: _Briefing, report: ReportData) -> None:
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 26)
    pdf.cell(0, 14, "Binnenstadmonitor", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 15)
    pdf.multi_cell(0, 8, f"Stand van het Binnenstadakkoord – {report.area}", align="L",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 11)
    pdf.cell(0, 7, "Briefing voor de regiegroep en de gemeenteraad", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for line in currency_lines(report):
        pdf.para(line, size=10, colour=GREY_TEXT)
    pdf.ln(2)
    if report.illustrative:
        pdf.notice(ILLUSTRATIVE_NOTICE)
    pdf.para(_counts(report), bold=True)
    pdf.heading("Stand per KPI", size=13)
    table = status_table(report.results)
    pdf.set_font(FAMILY, "", 9.5)
    with pdf.table(
        col_widths=(34, 17, 13, 21, 15), text_align=("LEFT", "RIGHT", "RIGHT", "LEFT", "LEFT"),
        headings_style=FontFace(family=FAMILY, emphasis="BOLD", fill_color=(230, 230, 230)),
        line_height=5.2, padding=1.2, first_row_as_headings=True,
    ) as t:
        t.row(list(table.columns))
        for row in table.itertuples(index=False):
            t.row([str(v) for v in row])
    pdf.ln(4)
    if not report.events.empty:
        pdf.heading("Gebeurtenissen", size=13)
        names = {r.indicator.code: r.indicator.name for r in report.results}
        for _, e in report.events.iterrows():
            scope = f" ({names.get(e['indicator'], e['indicator'])})" if e["indicator"] else ""
            pdf.para(f"{fmt.peildatum(e['event_date'], 'dag')}: {e['text']}{scope}", size=10)


def _kpi_page(pdf: _Briefing, report: ReportData, r: KpiResult, image: bytes | None) -> None:
    pdf.add_page()
    pdf.heading(r.indicator.name, size=17)
    if r.illustrative:
        pdf.notice(KPI_ILLUSTRATIVE_NOTICE)
    elif r.shows_illustrative:
        pdf.para(KPI_GREYED_NOTICE, size=9.5, colour=GREY_TEXT)
    pdf.set_font(FAMILY, "", 10)
    with pdf.table(col_widths=(55, 45), text_align=("LEFT", "LEFT"), first_row_as_headings=False,
                   line_height=4.4, padding=0.7, borders_layout="HORIZONTAL_LINES", width=150, align="LEFT") as t:
        for label, value in key_figures(r):
            t.row([label, value])
    pdf.ln(3)
    pdf.para(summary_sentence(r), size=11)
    pdf.para(f"Waarom deze status: {r.status_reason}", size=9.5, colour=GREY_TEXT)
    if image is not None:
        width = pdf.epw
        height = width * PDF_CHART_PX[1] / PDF_CHART_PX[0]
        room = pdf.h - MARGIN - 14 - pdf.get_y()  # keep about three lines for sources below
        if room < height:
            # A longer reason should not push the chart onto a page of its own: shrink a little.
            if room >= 0.7 * height:
                width, height = width * room / height, room
            else:
                pdf.add_page()
        pdf.image(io.BytesIO(image), x=MARGIN, w=width, h=height,
                  alt_text=f"Grafiek: {r.indicator.name} door de tijd, met doel en metingen")
        pdf.ln(2)
    ev = report.events_for(r.indicator.code)
    if not ev.empty:
        pdf.para("Gebeurtenissen: " + "; ".join(
            f"{fmt.peildatum(d, 'dag')} {t}" for d, t in zip(ev["event_date"], ev["text"])), size=9.5)
    pdf.para("Bronnen: " + "; ".join(sources(r) or ["–"]), size=9.5)
    pdf.para(f"Doel vastgelegd in: {r.target.source or '–'}", size=9.5)
    if r.indicator.definition:
        pdf.para(f"Definitie: {r.indicator.definition}", size=9.5, colour=GREY_TEXT)


def _werkplan_pages(pdf: _Briefing, brief: WerkplanBrief | None) -> None:
    """The werkplan: an overview page (late, finished lately) and one page per theme with actions."""
    if brief is None:
        return
    pdf.add_page()
    pdf.heading("Werkplan: wat loopt er", size=17)
    if brief.illustrative:
        pdf.notice(WERKPLAN_NOTICE)
    for line in overview_lines(brief):
        pdf.para(line, size=10.5)
    for label, table in brief.themes:
        pdf.add_page()
        pdf.heading(f"Werkplan – thema {label}", size=15)
        doc = doc_table(table)
        pdf.set_font(FAMILY, "", 8.5)
        with pdf.table(
            col_widths=(12, 50, 22, 11, 20, 27, 16, 16), text_align="LEFT",
            headings_style=FontFace(family=FAMILY, emphasis="BOLD", fill_color=(230, 230, 230)),
            line_height=4.4, padding=1, first_row_as_headings=True,
        ) as t:
            t.row(list(doc.columns))
            for values in doc.itertuples(index=False):
                row = t.row()
                for column, value in zip(doc.columns, values):
                    rgb = cell_rgb(column, str(value))
                    row.cell(str(value), style=FontFace(fill_color=rgb) if rgb else None)
        pdf.set_fill_color(255, 255, 255)


def pdf_bytes(report: ReportData, images: dict[str, bytes]) -> bytes:
    """The PDF briefing; `images` maps indicator code to its chart PNG (missing: no chart)."""
    pdf = _Briefing(report.area)
    pdf.set_title(f"Binnenstadmonitor – stand van het Binnenstadakkoord ({report.area})")
    pdf.set_author("Binnenstadmonitor")
    _title_page(pdf, report)
    for r in report.results:
        _kpi_page(pdf, report, r, images.get(r.indicator.code))
    _werkplan_pages(pdf, report.werkplan)
    return bytes(pdf.output())

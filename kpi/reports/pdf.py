"""The PDF briefing (fpdf2), a raadsinformatiebrief (issue 20): page 1 the summary in words with
the regiegroep's duiding, page 2 all KPIs at a glance (small multiples and the indicator table),
then what changed since the last briefing, what is done about each KPI behind, the werkplan in
one table, the money, and the reading guide with colophon. The words come from
`kpi.reports.content`; this module only lays them out. A concept says so on every page.

Text is set in DejaVu Sans, embedded, so every Dutch character and the status icons print.
Stored text (sources, notes, events) is written as plain text: fpdf2 interprets markup only
when asked (markdown=True), and this module never asks. Table columns are measured so that no
word is broken inside a cell.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from kpi.export import printable
from kpi.reports import content
from kpi.reports.errors import ReportError
from kpi.reports.fonts import FAMILY, FontMissing, column_widths, find_fonts
from kpi.reports.model import ReportData
from kpi.werkplan.brief import NOTICE as WERKPLAN_NOTICE
from kpi.werkplan.tables import cell_rgb

MARGIN = 18
ORANGE_FILL = (253, 236, 200)
GREY_TEXT = (90, 90, 90)
CONCEPT_RED = (179, 60, 0)
HEADING_FILL = (230, 230, 230)
OVERVIEW = "overzicht"  # the images key of the small multiples
OVERVIEW_PX = (760, 660)

__all__ = ["FontMissing", "OVERVIEW", "OVERVIEW_PX", "ReportError", "find_fonts", "pdf_bytes"]


class _Briefing(FPDF):
    def __init__(self, report: ReportData) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.area = report.area
        self.concept = report.concept
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

    def header(self) -> None:
        if self.concept:
            self.set_y(7)
            self.set_font(FAMILY, "B", 9)
            self.set_text_color(*CONCEPT_RED)
            self.cell(0, 5, f"{content.CONCEPT_MARK} – niet vastgesteld", align="R")
            self.set_text_color(0, 0, 0)
            self.set_y(MARGIN)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*GREY_TEXT)
        state = "concept" if self.concept else "definitief"
        self.cell(0, 5, f"Binnenstadmonitor · {self.area} · {state} · pagina {self.page_no()} van {{nb}}", align="C")
        self.set_text_color(0, 0, 0)

    # -- small building blocks ------------------------------------------------------------
    def heading(self, text: str, size: float = 16) -> None:
        if self.get_y() > self.h - MARGIN - 30:
            self.add_page()  # a heading never ends a page alone
        self.set_font(FAMILY, "B", size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def para(self, text: str, size: float = 10, bold: bool = False, colour=None, indent: float = 0) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)
        if colour:
            self.set_text_color(*colour)
        if indent:
            self.set_x(self.l_margin + indent)
        self.multi_cell(0, size * 0.47, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.ln(1.2)

    def notice(self, text: str, size: float = 10) -> None:
        self.set_font(FAMILY, "B", size)
        self.set_fill_color(*ORANGE_FILL)
        self.multi_cell(0, size * 0.5, text, border=1, fill=True, align="L", padding=1.8,
                        new_x="LMARGIN", new_y="NEXT")
        # fpdf2 tables fill their cells with the current fill colour: reset it.
        self.set_fill_color(255, 255, 255)
        self.ln(2.5)

    def measure(self, text: str, size: float, bold: bool) -> float:
        self.set_font(FAMILY, "B" if bold else "", size)
        return self.get_string_width(text)

    def table(self, frame: pd.DataFrame, size: float = 8.5, align: dict[str, str] | None = None,
              fills: bool = False) -> None:
        """A Dutch table with measured column widths: every word whole in its cell."""
        rows = [list(frame.columns)] + [[str(v) for v in row] for row in frame.itertuples(index=False)]
        padding = 1.0
        while True:
            widths = column_widths(rows, self.epw, size, padding, measure=self.measure)
            if widths is not None or size <= 6:
                break
            size -= 0.5  # a long word: smaller type rather than a broken word
        widths = widths or [self.epw / len(rows[0])] * len(rows[0])
        align = align or {}
        self.set_font(FAMILY, "", size)
        with super().table(
            col_widths=widths, width=min(sum(widths), self.epw), align="LEFT", text_align=tuple(align.get(c, "LEFT") for c in frame.columns),
            headings_style=FontFace(family=FAMILY, emphasis="BOLD", fill_color=HEADING_FILL),
            line_height=size * 0.45, padding=padding, first_row_as_headings=True,
        ) as t:
            t.row(rows[0])
            for values in rows[1:]:
                row = t.row()
                for column, value in zip(frame.columns, values):
                    rgb = cell_rgb(column, value.split(",")[0]) if fills else None
                    row.cell(value, style=FontFace(fill_color=rgb) if rgb else None)
        self.set_fill_color(255, 255, 255)
        self.ln(2)


def _summary_page(pdf: _Briefing, report: ReportData) -> None:
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 19)
    pdf.multi_cell(0, 9, content.TITLE, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 13)
    pdf.multi_cell(0, 7, f"Stand van de doelen – {report.area}", align="L",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.para(content.period_text(report), size=9, colour=GREY_TEXT)
    pdf.para(f"Versie: {content.version_text(report)}", size=9, colour=GREY_TEXT)
    if notice := content.illustrative_notice(report):
        pdf.notice(notice, size=9)
    pdf.heading("Wat willen we bereiken?", size=12.5)
    pdf.para(content.akkoord_text(report), size=9.5)
    pdf.heading("Waar staan we?", size=12.5)
    pdf.para(content.counts_text(report), size=10, bold=True)
    for _, sentence in content.kpi_sentences(report):
        pdf.para(f"• {sentence}", size=9.5)
    items = content.duiding_items(report)
    if items:
        pdf.heading("Duiding van de regiegroep", size=12.5)
        for item in items:
            r = item.result
            pdf.para(f"{r.indicator.name} ({r.status})", size=9.5, bold=True)
            for line in item.lines():
                pdf.para(line, size=9, indent=3, colour=None if item.duiding else CONCEPT_RED)


def _glance_page(pdf: _Briefing, report: ReportData, image: bytes | None) -> None:
    pdf.add_page()
    pdf.heading("Alle KPI's in één oogopslag", size=15)
    if image is not None:
        w = pdf.epw
        h = w * OVERVIEW_PX[1] / OVERVIEW_PX[0]
        pdf.image(io.BytesIO(image), x=MARGIN, w=w, h=h,
                  alt_text="Grafieken van alle KPI's door de tijd, met doel, landelijk cijfer en nieuwste waarde")
        pdf.ln(1)
    if note := content.greyed_note(report):
        pdf.para(note, size=8, colour=GREY_TEXT)
    year = content.ambition_year(report)
    pdf.table(content.indicator_table(report), size=7.5, align={f"Ambitie {year}": "RIGHT"})
    for note in content.table_notes(report):
        pdf.para(note, size=7.5, colour=GREY_TEXT)


def _changes(pdf: _Briefing, report: ReportData) -> None:
    pdf.add_page()
    pdf.heading("Wat is er veranderd sinds de vorige briefing?", size=15)
    pdf.para(content.since_last_headline(report), size=9.5)
    tables = content.since_last_tables(report)
    if not tables:
        pdf.para("Geen nieuwe of herziene cijfers, statuswijzigingen of gewijzigde acties.", size=9.5)
    for title, table in tables:
        pdf.heading(title, size=11)
        pdf.table(table, size=8)
    if lines := content.event_lines(report):
        pdf.heading("Gebeurtenissen", size=11)
        for line in lines:
            pdf.para(line, size=9)


def _actions(pdf: _Briefing, report: ReportData) -> None:
    pdf.heading("Wat gaan we daarvoor doen?", size=15)
    items = content.kpi_actions(report)
    if not items:
        pdf.para("Geen KPI staat op achter of risico.", size=9.5)
    for item in items:
        r = item.result
        pdf.heading(f"{r.indicator.name} ({r.status})", size=11)
        if item.warning:
            pdf.notice(item.warning, size=8.5)
        if item.actions.empty:
            pdf.para("Geen open acties aan deze KPI gekoppeld.", size=9)
        else:
            pdf.table(item.actions, size=8, fills=True)


def _werkplan(pdf: _Briefing, report: ReportData) -> None:
    if report.plan is None:
        return
    pdf.add_page()
    pdf.heading("Werkplan: alle acties, te laat eerst", size=15)
    if report.werkplan is not None and report.werkplan.illustrative:
        pdf.notice(WERKPLAN_NOTICE, size=8.5)
    pdf.para(content.werkplan_counts(report), size=9.5)
    pdf.table(content.werkplan_table(report), size=7, fills=True)


def _costs(pdf: _Briefing, report: ReportData) -> None:
    tables = content.cost_tables(report)
    if not tables:
        return
    pdf.heading("Wat mag het kosten?", size=15)
    right = {"Budget": "RIGHT", "Besteed": "RIGHT", "Besteed van budget": "RIGHT"}
    for title, table in tables:
        pdf.heading(title, size=11)
        pdf.table(table, size=8.5, align=right)
    for note in content.cost_notes(report):
        pdf.para(note, size=8.5, colour=GREY_TEXT)


def _guide(pdf: _Briefing, report: ReportData) -> None:
    pdf.add_page()
    pdf.heading("Leeswijzer", size=15)
    pdf.para("Elke KPI krijgt één status: de eerste regel hieronder die opgaat, beslist; de zin bij de KPI "
             "noemt de cijfers waarop dat rust.", size=9)
    pdf.table(content.reading_guide(), size=7.5)
    pdf.heading("Horizon", size=11)
    for line in content.horizon_lines(report):
        pdf.para(line, size=8.5)
    pdf.heading("Bronnen", size=11)
    for source in content.source_list(report):
        pdf.para(f"• {source}", size=8.5)
    pdf.heading("Colofon", size=11)
    for line in content.colophon_lines(report):
        pdf.para(line, size=8.5)


def pdf_bytes(report: ReportData, images: dict[str, bytes]) -> bytes:
    """The PDF briefing; `images[OVERVIEW]` is the small multiples PNG (missing: no chart)."""
    pdf = _Briefing(report)
    pdf.set_title(f"{content.TITLE} – {report.area}")
    pdf.set_author("Binnenstadmonitor")
    # The document's own stamp is the report's: the same report gives the same bytes (issue 20: a
    # definitive briefing made again later must come out identical).
    pdf.set_creation_date(report.generated_at.replace(tzinfo=dt.UTC))
    _summary_page(pdf, report)
    _glance_page(pdf, report, images.get(OVERVIEW))
    _changes(pdf, report)
    _actions(pdf, report)
    _werkplan(pdf, report)
    _costs(pdf, report)
    _guide(pdf, report)
    return bytes(pdf.output())

"""The werkplan in the briefings: an overview page (late actions, actions finished lately)
and a page per theme with its actions, in the PDF and in the PowerPoint deck.

The tables come from `kpi.werkplan_view` (the screen's own), so document and screen agree;
status in words with a symbol and a coloured cell, illustrative actions marked in the text.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy.engine import Engine

from kpi import formatting as fmt
from kpi import werkplan, werkplan_store, werkplan_view

# Looking back this far for "finished lately" in a briefing: the regiegroep meets about
# every four weeks.
LOOK_BACK = dt.timedelta(days=28)
DOC_COLUMNS = ["Code", "Actie", "Status", "Te laat", "Deadline", "Rol", "Budget", "Besteed"]
WERKPLAN_NOTICE = ("Let op: het werkplan bevat illustratieve voorbeeldacties (demo), geen echte acties. "
                   "Ze zijn gemarkeerd met ‘(illustratief)’.")
MAX_SLIDE_ROWS = 9


def load_brief(engine: Engine, as_of: dt.datetime | None, today: dt.date,
               kpi_names: dict[str, str]) -> werkplan_view.WerkplanBrief:
    """The werkplan as known at `as_of` (None: now) and what was finished in the four weeks before."""
    from kpi.changes import end_of_day

    wp = werkplan.load_werkplan(engine, as_of)
    since = (as_of.date() if as_of else today) - LOOK_BACK
    before = werkplan_store.load_actions(engine, end_of_day(since))
    return werkplan_view.brief(before, wp.actions, wp.themes, since, today, kpi_names)


def doc_table(table: pd.DataFrame) -> pd.DataFrame:
    """A theme's actions for a document: fewer columns, '(illustratief)' after a demo action."""
    out = table.copy()
    out["Actie"] = [f"{a} (illustratief)" if i.startswith("ja") else a for a, i in zip(out["Actie"], out["Illustratief"])]
    return out[DOC_COLUMNS]


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _fill(column: str, value: str) -> str:
    if column == "Status":
        return werkplan_view.status_fill(value)
    if column == "Te laat" and value == "ja":
        return werkplan_view.LATE_FILL
    return ""


def _overview_lines(brief: werkplan_view.WerkplanBrief) -> list[str]:
    late = "; ".join(f"{r.Code} {r.Actie}{' (illustratief)' if r.Illustratief.startswith('ja') else ''} "
                     f"(deadline {r.Deadline})" for r in brief.late.itertuples()) or "geen"
    done = "; ".join(brief.finished["Actie"]) or "geen"
    return [f"Te laat ({len(brief.late)}): {late}.", f"Afgerond sinds {fmt.day(brief.since)} ({len(brief.finished)}): {done}."]


# ---- PDF (fpdf2; `pdf` is kpi.reports.pdf._Briefing) ------------------------------------------

def pdf_pages(pdf, brief: werkplan_view.WerkplanBrief | None) -> None:
    """An overview page and one page per theme with actions."""
    if brief is None:
        return
    from fpdf.fonts import FontFace

    from kpi.reports.pdf import FAMILY

    pdf.add_page()
    pdf.heading("Werkplan: wat loopt er", size=17)
    if brief.illustrative:
        pdf.notice(WERKPLAN_NOTICE)
    for line in _overview_lines(brief):
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
                    fill = _fill(column, str(value))
                    row.cell(str(value), style=FontFace(fill_color=_rgb(fill)) if fill else None)
        pdf.set_fill_color(255, 255, 255)


# ---- PowerPoint (python-pptx) -------------------------------------------------------------------

def deck_slides(prs, brief: werkplan_view.WerkplanBrief | None, title, text) -> None:
    """An overview slide and one slide per theme; `title` and `text` are kpi.reports.deck's helpers."""
    if brief is None:
        return
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    from kpi.export import printable
    from kpi.reports.deck import TITLE_ONLY, WARNING

    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    title(slide, "Werkplan: wat loopt er")
    lines = [(WERKPLAN_NOTICE, 14, True, WARNING)] if brief.illustrative else []
    lines += [(line, 16, False, None) for line in _overview_lines(brief)]
    text(slide, Inches(0.5), Inches(1.3), Inches(12.3), Inches(5.5), lines)
    for label, table in brief.themes:
        slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
        title(slide, f"Werkplan – thema {label}")
        doc = doc_table(table)
        rest = len(doc) - MAX_SLIDE_ROWS
        doc = doc.head(MAX_SLIDE_ROWS)
        if rest > 0:
            text(slide, Inches(0.5), Inches(6.9), Inches(12.3), Inches(0.4),
                 [(f"… en nog {fmt.count(rest, 'actie', 'acties')} (zie de PDF of het dashboard)", 12, False, None)])
        shape = slide.shapes.add_table(len(doc) + 1, len(doc.columns), Inches(0.5), Inches(1.3), Inches(12.3),
                                       Inches(0.5) * (len(doc) + 1))
        for i, w in enumerate([0.9, 4.2, 1.5, 0.9, 1.2, 1.6, 1.0, 1.0]):
            shape.table.columns[i].width = Inches(w)
        for c, name in enumerate(doc.columns):
            shape.table.cell(0, c).text = name
        for r_i, values in enumerate(doc.itertuples(index=False), start=1):
            for c, (column, value) in enumerate(zip(doc.columns, values)):
                cell = shape.table.cell(r_i, c)
                cell.text = printable(str(value))
                for p in cell.text_frame.paragraphs:
                    for run in p.runs:
                        run.font.size = Pt(12)
                        run.font.color.rgb = RGBColor(0, 0, 0)
                if fill := _fill(column, str(value)):
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = RGBColor(*_rgb(fill))

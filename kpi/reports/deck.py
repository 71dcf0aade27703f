"""The PowerPoint deck (python-pptx) for a council presentation: a summary slide, then one
slide per KPI with its chart and key figures. 16:9, large type, titles in the title
placeholder so screen readers and the outline view find them."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from kpi import formatting as fmt
from kpi.export import printable
from kpi.metrics import KpiResult
from kpi.reports.model import (
    DECK_CHART_PX,
    ILLUSTRATIVE_NOTICE,
    KPI_GREYED_NOTICE,
    KPI_ILLUSTRATIVE_NOTICE,
    ReportData,
    currency_lines,
    sources,
)
from kpi.tables import key_figures, status_table
from kpi.text import summary_sentence
from kpi.werkplan.brief import NOTICE as WERKPLAN_NOTICE
from kpi.werkplan.brief import WerkplanBrief, overview_lines
from kpi.werkplan.tables import cell_rgb, doc_table

WIDE = (Inches(13.333), Inches(7.5))
TITLE_ONLY = 5  # layout index in python-pptx's default template
WARNING = RGBColor(0xB3, 0x3C, 0x00)
GREY = RGBColor(0x55, 0x55, 0x55)
MAX_SLIDE_ROWS = 9  # werkplan actions per theme slide; the rest is named, the PDF has all


def _title(slide, text: str) -> None:
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = Inches(0.5), Inches(0.25), Inches(12.3), Inches(0.9)
    shape.text_frame.text = printable(text)
    p = shape.text_frame.paragraphs[0]
    p.alignment = PP_ALIGN.LEFT
    p.runs[0].font.size = Pt(34)
    p.runs[0].font.bold = True


def _text(slide, left, top, width, height, lines: list[tuple[str, int, bool, RGBColor | None]]):
    box = slide.shapes.add_textbox(left, top, width, height)
    tf = box.text_frame
    tf.word_wrap = True
    for i, (text, size, bold, colour) in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        run = p.add_run()
        run.text = printable(text)
        run.font.size = Pt(size)
        run.font.bold = bold
        if colour is not None:
            run.font.color.rgb = colour
        p.space_after = Pt(4)
    return box


def _summary_slide(prs, report: ReportData) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    _title(slide, f"Stand van het Binnenstadakkoord – {report.area}")
    info = [(" · ".join(currency_lines(report)[1:]), 12, False, GREY)]
    if report.illustrative:
        info.append((ILLUSTRATIVE_NOTICE, 14, True, WARNING))
    _text(slide, Inches(0.5), Inches(1.1), Inches(12.3), Inches(0.9), info)
    table = status_table(report.results)
    rows, cols = len(table) + 1, len(table.columns)
    top = Inches(2.2)
    shape = slide.shapes.add_table(rows, cols, Inches(0.5), top, Inches(12.3), Inches(0.55) * rows)
    widths = [4.0, 2.8, 1.5, 2.3, 1.7]
    for i, w in enumerate(widths):
        shape.table.columns[i].width = Inches(w)
    for c, name in enumerate(table.columns):
        shape.table.cell(0, c).text = printable(name)
    for r_i, row in enumerate(table.itertuples(index=False), start=1):
        for c, value in enumerate(row):
            shape.table.cell(r_i, c).text = printable(str(value))
    for r_i in range(rows):
        for c in range(cols):
            for p in shape.table.cell(r_i, c).text_frame.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(16 if len(table) <= 6 else 13)


def _kpi_slide(prs, report: ReportData, r: KpiResult, image: bytes | None) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    _title(slide, r.indicator.name)
    chart_w = Inches(8.3)
    if image is not None:
        chart_h = Emu(int(chart_w * DECK_CHART_PX[1] / DECK_CHART_PX[0]))
        pic = slide.shapes.add_picture(io.BytesIO(image), Inches(0.4), Inches(1.3), width=chart_w, height=chart_h)
        pic.name = f"Grafiek {r.indicator.name}"
        # Alt text for screen readers (python-pptx has no API for descr).
        pic._element.nvPicPr.cNvPr.set("descr", f"Grafiek: {r.indicator.name} door de tijd, met doel en metingen")
    figures = []
    for label, value in key_figures(r):
        figures.append((label, 12, False, GREY))
        figures.append((value, 20 if label in ("Nieuwste waarde", "Status") else 16, True, None))
    _text(slide, Inches(8.9), Inches(1.3), Inches(4.1), Inches(4.6), figures)
    bottom = [(summary_sentence(r), 15, False, None)]
    if r.illustrative:
        bottom.insert(0, (KPI_ILLUSTRATIVE_NOTICE, 15, True, WARNING))
    elif r.shows_illustrative:
        bottom.insert(0, (KPI_GREYED_NOTICE, 12, False, GREY))
    bottom.append(("Bron: " + "; ".join(sources(r)[:3] or ["–"]), 10, False, GREY))
    _text(slide, Inches(0.5), Inches(5.75), Inches(12.3), Inches(1.6), bottom)
    slide.notes_slide.notes_text_frame.text = printable(f"Waarom deze status: {r.status_reason}")


def _werkplan_slides(prs, brief: WerkplanBrief | None) -> None:
    """The werkplan: an overview slide and one slide per theme."""
    if brief is None:
        return
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    _title(slide, "Werkplan: wat loopt er")
    lines = [(WERKPLAN_NOTICE, 14, True, WARNING)] if brief.illustrative else []
    lines += [(line, 16, False, None) for line in overview_lines(brief)]
    _text(slide, Inches(0.5), Inches(1.3), Inches(12.3), Inches(5.5), lines)
    for label, table in brief.themes:
        slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
        _title(slide, f"Werkplan – thema {label}")
        doc = doc_table(table)
        rest = len(doc) - MAX_SLIDE_ROWS
        doc = doc.head(MAX_SLIDE_ROWS)
        if rest > 0:
            _text(slide, Inches(0.5), Inches(6.9), Inches(12.3), Inches(0.4),
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
                if rgb := cell_rgb(column, str(value)):
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = RGBColor(*rgb)


def pptx_bytes(report: ReportData, images: dict[str, bytes]) -> bytes:
    """The deck; `images` maps indicator code to its chart PNG (missing: no picture)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDE
    prs.core_properties.title = f"Binnenstadmonitor – {report.area}"
    prs.core_properties.language = "nl-NL"
    _summary_slide(prs, report)
    for r in report.results:
        _kpi_slide(prs, report, r, images.get(r.indicator.code))
    _werkplan_slides(prs, report.werkplan)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()

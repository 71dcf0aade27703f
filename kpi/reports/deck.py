"""The PowerPoint deck (python-pptx) of the council briefing, in the PDF's order (issue 20):
summary in words with the duiding, all KPIs at a glance, the indicator table, what changed,
what is done about each KPI behind, the werkplan, the money, the reading guide and colophon.
16:9, titles in the title placeholder so screen readers and the outline view find them.

Laid out from measured text (issue 19.19): every run is set in DejaVu Sans, every box and table
row is as high as its text measured in that font (kpi.reports.fonts) and placed below the
previous one, so no two boxes overlap; columns are at least as wide as their longest word, so
no word is broken. A reader without DejaVu Sans gets a narrower fallback font that still fits.
Text that does not fit a slide continues on a next slide "(vervolg)".
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from kpi import formatting as fmt
from kpi.export import printable
from kpi.reports import content
from kpi.reports.fonts import DECK_FONT, column_widths, wrap
from kpi.reports.model import ReportData
from kpi.werkplan.brief import NOTICE as WERKPLAN_NOTICE
from kpi.werkplan.tables import cell_rgb

WIDE = (Inches(13.333), Inches(7.5))
TITLE_ONLY = 5  # layout index in python-pptx's default template
WARNING = RGBColor(0xB3, 0x3C, 0x00)
GREY = RGBColor(0x55, 0x55, 0x55)
OVERVIEW = "overzicht"
OVERVIEW_PX = (1200, 560)
LEFT, RIGHT_EDGE = 36.0, 960.0 - 36.0       # points: 13,333 in = 960 pt
TOP, BOTTOM = 90.0, 540.0 - 24.0             # below the title, above the bottom edge
LINE = 1.2                                   # line height as a multiple of the font size
INSET = 3.6                                  # text frame inset (pt), all four sides
GAP = 6.0
CONCEPT_W = 150.0


def _pt(v: float) -> Emu:
    return Emu(int(v * 12700))


class _Deck:
    def __init__(self, report: ReportData) -> None:
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = WIDE
        self.report = report
        self.slide = None
        self.y = TOP
        self.title = ""

    # -- slides ------------------------------------------------------------------------------
    def new_slide(self, title: str) -> None:
        self.title = title
        self.slide = self.prs.slides.add_slide(self.prs.slide_layouts[TITLE_ONLY])
        width = RIGHT_EDGE - LEFT - (CONCEPT_W + GAP if self.report.concept else 0)
        size = 28.0
        while len(wrap(title, size, width - 2 * INSET, bold=True)) > 1 and size > 18:
            size -= 2
        shape = self.slide.shapes.title
        shape.left, shape.top, shape.width, shape.height = _pt(LEFT), _pt(24), _pt(width), _pt(56)
        tf = shape.text_frame
        tf.text = printable(title)
        tf.word_wrap, tf.auto_size = True, MSO_AUTO_SIZE.NONE
        self._inset(tf)
        p = tf.paragraphs[0]
        p.alignment = PP_ALIGN.LEFT
        self._style(p.runs[0], size, True, None)
        if self.report.concept:
            self._box(RIGHT_EDGE - CONCEPT_W, 24, CONCEPT_W, [(content.CONCEPT_MARK, 16, True, WARNING)])
        self.y = TOP

    def more(self) -> None:
        base = self.title.removesuffix(" (vervolg)")
        self.new_slide(f"{base} (vervolg)")

    @staticmethod
    def _inset(tf) -> None:
        tf.margin_left = tf.margin_right = tf.margin_top = tf.margin_bottom = _pt(INSET)

    @staticmethod
    def _style(run, size: float, bold: bool, colour) -> None:
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = DECK_FONT
        if colour is not None:
            run.font.color.rgb = colour

    @staticmethod
    def height(lines: list[tuple[str, float, bool, object]], width: float) -> float:
        """The measured height (pt) of paragraphs in a box of `width` pt."""
        total = 2 * INSET
        for text, size, bold, _ in lines:
            total += len(wrap(text, size, width - 2 * INSET, bold)) * size * LINE + 4
        return total

    def _box(self, x: float, y: float, width: float, lines: list[tuple[str, float, bool, object]]):
        h = self.height(lines, width)
        box = self.slide.shapes.add_textbox(_pt(x), _pt(y), _pt(width), _pt(h))
        tf = box.text_frame
        tf.word_wrap, tf.auto_size = True, MSO_AUTO_SIZE.NONE
        self._inset(tf)
        for i, (text, size, bold, colour) in enumerate(lines):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            p.line_spacing = Pt(size * LINE)
            p.space_after = Pt(4)
            self._style(p.add_run(), size, bold, colour)
            p.runs[0].text = printable(text)
        return h

    def text(self, lines: list[tuple[str, float, bool, object]]) -> None:
        """Paragraphs below what is on the slide; a paragraph that does not fit goes to a next slide."""
        width = RIGHT_EDGE - LEFT
        for line in lines:
            h = self.height([line], width)
            if self.y + h > BOTTOM:
                self.more()
            self.y += self._box(LEFT, self.y, width, [line]) + 2

    def picture(self, image: bytes, px: tuple[int, int], alt: str) -> None:
        width = RIGHT_EDGE - LEFT
        height = width * px[1] / px[0]
        if self.y + height > BOTTOM:
            height = BOTTOM - self.y
            width = height * px[0] / px[1]
        pic = self.slide.shapes.add_picture(io.BytesIO(image), _pt(LEFT), _pt(self.y), _pt(width), _pt(height))
        pic.name = "Grafieken alle KPI's"
        pic._element.nvPicPr.cNvPr.set("descr", alt)  # python-pptx has no API for alt text
        self.y += height + GAP

    def table(self, frame: pd.DataFrame, size: float = 12.0, fills: bool = False) -> None:
        """A table with measured columns and rows, split over slides when long."""
        rows = [list(frame.columns)] + [[str(v) for v in r] for r in frame.itertuples(index=False)]
        width = RIGHT_EDGE - LEFT
        margin = 5.0
        widths = None
        while widths is None and size >= 8:
            widths = column_widths(rows, width, size, margin + 1)
            if widths is None:
                size -= 1
        widths = widths or [width / len(rows[0])] * len(rows[0])

        def row_height(values, bold=False) -> float:
            n = max(len(wrap(v, size, w - 2 * margin - 2, bold)) for v, w in zip(values, widths))
            return n * size * LINE + 2 * 3.6 + 2

        heading = row_height(rows[0], True)
        body = rows[1:]
        while body:
            room = BOTTOM - self.y - heading
            take, used = 0, 0.0
            for values in body:
                h = row_height(values)
                if used + h > room and take:
                    break
                take, used = take + 1, used + h
            if take == 0 or (used > room and self.y > TOP):
                self.more()
                continue
            self._table_part(rows[0], body[:take], widths, size, margin, heading, row_height, fills, frame)
            self.y += heading + used + GAP
            body = body[take:]
            if body:
                self.more()

    def _table_part(self, head, body, widths, size, margin, heading, row_height, fills, frame) -> None:
        heights = [heading] + [row_height(v) for v in body]
        shape = self.slide.shapes.add_table(len(body) + 1, len(head), _pt(LEFT), _pt(self.y),
                                            _pt(sum(widths)), _pt(sum(heights)))
        t = shape.table
        for i, w in enumerate(widths):
            t.columns[i].width = _pt(w)
        for i, h in enumerate(heights):
            t.rows[i].height = _pt(h)
        for r_i, values in enumerate([head, *body]):
            for c, value in enumerate(values):
                cell = t.cell(r_i, c)
                cell.margin_left = cell.margin_right = _pt(margin)
                cell.margin_top = cell.margin_bottom = _pt(3.6)
                cell.text = printable(value)
                for p in cell.text_frame.paragraphs:
                    p.line_spacing = Pt(size * LINE)
                    for run in p.runs:
                        self._style(run, size, r_i == 0, RGBColor(0xFF, 0xFF, 0xFF) if r_i == 0 else RGBColor(0, 0, 0))
                if fills and r_i and (rgb := cell_rgb(frame.columns[c], value.split(",")[0])):
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = RGBColor(*rgb)

    def save(self) -> bytes:
        buf = io.BytesIO()
        self.prs.save(buf)
        return stable_zip(buf.getvalue(), self.report.generated_at)


# A zip entry's time is DOS local time; it cannot be before 1980.
_ZIP_EPOCH = dt.datetime(1980, 1, 1)


def zip_moment(moment: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """A stored moment (naive UTC) as a zip entry's date_time: Amsterdam time, at least 1-1-1980,
    in even seconds (what a zip can store)."""
    shown = max(fmt.local(moment), _ZIP_EPOCH)
    return (shown.year, shown.month, shown.day, shown.hour, shown.minute, shown.second - shown.second % 2)


def stable_zip(data: bytes, moment: dt.datetime) -> bytes:
    """The same zip with every entry stamped `moment` and fixed attributes, in the order written.

    python-pptx (through zipfile) stamps each entry with the clock's time, so the same deck made
    twice differed; a stored briefing must come out byte-identical from its record (issue 20)."""
    stamp = zip_moment(moment)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16  # regular file, as python-pptx writes it
            info.create_system = 3
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()


def core_properties(prs: Presentation, report: ReportData) -> None:
    """Title, language, author and dates from the report, not from the clock or python-pptx's
    template (which says 2013 and 'Steve Canny'): a stored briefing's deck is dated when the
    briefing was made, like its PDF (kpi/reports/pdf.py)."""
    props = prs.core_properties
    props.title = f"{content.TITLE} – {report.area}"
    props.language = "nl-NL"
    props.author = props.last_modified_by = "Binnenstadmonitor"
    props.comments = ""
    props.revision = 1
    props.created = props.modified = report.generated_at.replace(microsecond=0)


def pptx_bytes(report: ReportData, images: dict[str, bytes]) -> bytes:
    """The deck; `images[OVERVIEW]` is the small multiples PNG (missing: no picture)."""
    d = _Deck(report)
    core_properties(d.prs, report)

    d.new_slide(f"{content.TITLE} – {report.area}")
    lines = [(content.period_text(report), 12, False, GREY), (f"Versie: {content.version_text(report)}", 12, False, GREY)]
    if notice := content.illustrative_notice(report):
        lines.append((notice, 13, True, WARNING))
    lines += [(content.akkoord_text(report), 14, False, None), (content.counts_text(report), 16, True, None)]
    lines += [(f"• {s}", 14, False, None) for _, s in content.kpi_sentences(report)]
    d.text(lines)
    items = content.duiding_items(report)
    if items:
        d.new_slide("Duiding van de regiegroep")
        for item in items:
            r = item.result
            d.text([(f"{r.indicator.name} ({r.status})", 16, True, None)]
                   + [(line, 13, False, None if item.duiding else WARNING) for line in item.lines()])

    d.new_slide("Alle KPI's in één oogopslag")
    if OVERVIEW in images:
        d.picture(images[OVERVIEW], OVERVIEW_PX,
                  "Grafieken van alle KPI's door de tijd, met doel, landelijk cijfer en nieuwste waarde")
    if note := content.greyed_note(report):
        d.text([(note, 11, False, GREY)])
    d.new_slide("Stand per KPI")
    d.table(content.indicator_table(report), size=12)
    d.text([(n, 11, False, GREY) for n in content.table_notes(report)])

    d.new_slide("Wat is er veranderd sinds de vorige briefing?")
    d.text([(content.since_last_headline(report), 14, False, None)])
    for title, table in content.since_last_tables(report):
        d.text([(title, 16, True, None)])
        d.table(table, size=12)
    if lines := content.event_lines(report):
        d.text([("Gebeurtenissen", 16, True, None)] + [(line, 12, False, None) for line in lines])

    d.new_slide("Wat gaan we daarvoor doen?")
    for item in content.kpi_actions(report):
        d.text([(f"{item.result.indicator.name} ({item.result.status})", 16, True, None)]
               + ([(item.warning, 12, True, WARNING)] if item.warning else []))
        if not item.actions.empty:
            d.table(item.actions, size=11, fills=True)

    if report.plan is not None:
        d.new_slide("Werkplan: alle acties, te laat eerst")
        lines = [(WERKPLAN_NOTICE, 12, True, WARNING)] if report.werkplan is not None and report.werkplan.illustrative else []
        d.text(lines + [(content.werkplan_counts(report), 13, False, None)])
        d.table(content.werkplan_table(report), size=10, fills=True)
        if costs := content.cost_tables(report):
            d.new_slide("Wat mag het kosten?")
            for title, table in costs:
                d.text([(title, 15, True, None)])
                d.table(table, size=12)
            d.text([(n, 11, False, GREY) for n in content.cost_notes(report)])

    d.new_slide("Leeswijzer")
    d.table(content.reading_guide(), size=10)
    d.new_slide("Horizon, bronnen en colofon")
    d.text([(line, 12, False, None) for line in content.horizon_lines(report)]
           + [("Bronnen", 14, True, None)] + [(f"• {s}", 11, False, None) for s in content.source_list(report)]
           + [("Colofon", 14, True, None)] + [(line, 11, False, None) for line in content.colophon_lines(report)])
    return d.save()

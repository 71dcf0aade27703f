"""All werkplan display tables, as `kpi.tables` is for the KPIs: what the Werkplan page, the KPI
page, meeting mode, the reports and the export show, pure functions over `kpi.werkplan` frames
(no Streamlit), so screen and documents agree.

The status is always shown in words with a symbol and a colour (never colour alone):
`status_cell` gives the text for a table cell, `STATUS_FILL` the cell's background.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from kpi import formatting as fmt
from kpi import werkplan

# A plain-text symbol per status for table cells, PDF and PPTX (material icons do not
# render there); the page's badges use ActionStatus.icon.
STATUS_SYMBOLS = {"gepland": "◷", "lopend": "▶", "afgerond": "✓", "vertraagd": "⚠", "gestopt": "✕"}
# Light backgrounds for the ActionStatus colours (readable with black text, also in print).
FILLS = {"gray": "#e5e7eb", "blue": "#dbeafe", "green": "#dcfce7", "orange": "#ffedd5", "red": "#fee2e2"}
STATUS_FILL = {s.label: FILLS[s.colour] for s in werkplan.ACTION_STATUSES}
LATE_FILL = FILLS["red"]

VIEWS = {"acties": "Acties per thema", "dekking": "Dekking KPI's × thema's", "rollen": "Rollen"}
# Illustratief early, so that a demo action is labelled where the eye is, not off to the right.
PAGE_COLUMNS = ["Code", "Actie", "Illustratief", "Status", "Te laat", "Deadline", "Rol", "Eigenaar", "Budget",
                "Besteed", "KPI's", "Toelichting"]

KPI_COLUMNS = ["Code", "Actie", "Illustratief", "Thema", "Status", "Te laat", "Deadline", "Rol", "Budget", "Besteed",
               "Toelichting"]


def status_cell(code: str) -> str:
    """'⚠ Vertraagd': symbol and word of an action status."""
    return f"{STATUS_SYMBOLS.get(code, '')} {werkplan.status_label(code)}".strip()


def with_status_symbols(table: pd.DataFrame) -> pd.DataFrame:
    """An `actions_table` whose Status column carries the symbol ('▶ Loopt')."""
    codes = {s.label: s.code for s in werkplan.ACTION_STATUSES}
    return table.assign(Status=[status_cell(codes.get(v, v)) for v in table["Status"]])


def status_fill(cell: str) -> str:
    """The background colour of a status cell ('▶ Loopt' or 'Loopt'), '' when unknown."""
    word = str(cell).split(" ", 1)[-1] if str(cell)[:1] in STATUS_SYMBOLS.values() else str(cell)
    return STATUS_FILL.get(word, "")


def parse_choice(text: object, allowed: Iterable) -> list:
    """The values of a URL parameter ('A,B' or a list) that are allowed, in the allowed order;
    years compare as text ('2026')."""
    if text is None:
        return []
    parts = text if isinstance(text, list) else str(text).split(",")
    wanted = {str(p).strip().casefold() for p in parts if str(p).strip()}
    return [a for a in allowed if str(a).casefold() in wanted]


def choice_text(values: Iterable) -> str:
    """The URL form of a filter ('A,B'); '' when nothing is chosen."""
    return ",".join(str(v) for v in values)


def theme_tables(actions: pd.DataFrame, themes: pd.DataFrame, today: dt.date,
                 kpi_names: Mapping[str, str] | None = None) -> list[tuple[str, pd.DataFrame]]:
    """Per theme that has actions (A-F): its label and its actions as a Dutch table, late
    first, status with symbol."""
    out = []
    for t in themes.itertuples():
        own = actions[actions["theme"] == t.letter]
        if own.empty:
            continue
        table = with_status_symbols(actions_table(own, today, themes, kpi_names))
        out.append((f"{t.letter} {t.name}", table))
    return out


def illustrative_text(actions: pd.DataFrame) -> str:
    """The plain notice on illustrative actions ('' when there are none): 'Deze acties zijn
    illustratief (demo), geen echte acties van het werkplan', or how many of them are."""
    n, total = int(actions["illustrative"].sum()), len(actions)
    if not n:
        return ""
    if n == total:
        return ("Deze actie is illustratief (demo), geen echte actie van het werkplan." if n == 1 else
                "Deze acties zijn illustratief (demo), geen echte acties van het werkplan.")
    return (f"{fmt.count(n, 'van deze acties is', 'van deze acties zijn')} illustratief (demo), geen echte "
            f"{'actie' if n == 1 else 'acties'} van het werkplan; ze staan als ‘ja – voorbeeld’ in de kolom "
            "Illustratief.")


def status_counts(actions: pd.DataFrame) -> list[tuple[werkplan.ActionStatus, int]]:
    """How many actions have each status, in lifecycle order, only those that occur."""
    counts = actions["status"].value_counts()
    return [(s, int(counts[s.code])) for s in werkplan.ACTION_STATUSES if counts.get(s.code, 0)]


def budget_line(actions: pd.DataFrame) -> str:
    """'Budget € 250.000, besteed € 120.500 (48%)' over the actions with a budget; '' when none."""
    with np.errstate(over="ignore"):  # amounts stored past the importer's limits: said below
        budget = actions["budget"].sum(min_count=1)
        spent = actions["spent"].sum(min_count=1)
    if pd.isna(budget):
        return ""
    spent = 0.0 if pd.isna(spent) else float(spent)
    if not (math.isfinite(budget) and math.isfinite(spent)):  # stored past the importer's limits
        return "Budget: de bedragen zijn te groot om op te tellen"
    share = f" ({fmt.percent(100 * spent / budget, 0)})" if budget else ""
    return f"Budget {fmt.euro(float(budget))}, besteed {fmt.euro(spent)}{share}"


def kpi_section(actions: pd.DataFrame, code: str, name: str, status: str, themes: pd.DataFrame,
                today: dt.date, kpi_names: Mapping[str, str] | None = None) -> tuple[pd.DataFrame, str | None]:
    """'Wat doen we eraan' for one KPI: its linked actions (Dutch table) and the plain warning
    when the KPI is behind with no running action (else None)."""
    linked = werkplan.actions_for_kpi(actions, code)
    table = with_status_symbols(actions_table(linked, today, themes, kpi_names))[KPI_COLUMNS]
    need = werkplan.kpi_actions(actions, {code: status}, today)["needs_action"].iloc[0]
    return table, (werkplan.no_action_warning(name, status) if need else None)


# ---- Dutch display tables (page, report, export) -----------------------------------------

def _kpi_text(kpis: tuple, names: Mapping[str, str] | None) -> str:
    names = names or {}
    return ", ".join(names.get(k, k) for k in kpis)


def theme_labels(themes: pd.DataFrame | None) -> dict[str, str]:
    """Theme letter -> the label the werkplan shows ('A' -> 'A compact & compleet')."""
    if themes is None or themes.empty:
        return {}
    return dict(zip(themes["letter"], themes["letter"] + " " + themes["name"]))


ACTION_TABLE_COLUMNS = [
    "Code", "Actie", "Thema", "Status", "Te laat", "Deadline", "Rol", "Eigenaar", "Jaar", "Start",
    "Budget", "Besteed", "Fonds", "KPI's", "Toelichting", "Bron", "Illustratief",
]


def actions_table(
    actions: pd.DataFrame,
    today: dt.date,
    themes: pd.DataFrame | None = None,
    kpi_names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The actions as a Dutch table, late first: status in words, dates d-m-jjjj, euros."""
    labels = theme_labels(themes)
    rows = []
    for r in werkplan.ordered(actions, today).itertuples():
        rows.append({
            "Code": r.code, "Actie": r.title, "Thema": labels.get(r.theme, r.theme),
            "Status": werkplan.status_label(r.status), "Te laat": "ja" if r.late else "",
            "Deadline": fmt.day(r.due), "Rol": werkplan.text_value(r.role) or "–", "Eigenaar": werkplan.text_value(r.owner) or "–",
            "Jaar": "–" if pd.isna(r.year) else str(int(r.year)), "Start": fmt.day(r.start),
            "Budget": fmt.euro(r.budget), "Besteed": fmt.euro(r.spent),
            "Fonds": werkplan.FUNDS.get(werkplan.text_value(r.fund), werkplan.text_value(r.fund)) or "–",
            "KPI's": _kpi_text(r.kpis, kpi_names) or "–", "Toelichting": werkplan.text_value(r.note),
            "Bron": r.source, "Illustratief": "ja – voorbeeld" if r.illustrative else "nee",
        })
    return pd.DataFrame(rows, columns=ACTION_TABLE_COLUMNS)


def kpi_actions_table(
    overview: pd.DataFrame, kpi_names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """`kpi_actions` as a Dutch table, with the warning where a behind KPI has no running action."""
    names = kpi_names or {}
    return pd.DataFrame({
        "KPI": [names.get(c, c) for c in overview["indicator"]],
        "Status KPI": overview["status"],
        "Acties": overview["linked"], "Lopend": overview["running"], "Te laat": overview["late"],
        "Let op": [
            werkplan.no_action_warning(names.get(c, c), s) if need else ""
            for c, s, need in zip(overview["indicator"], overview["status"], overview["needs_action"])
        ],
    }, columns=["KPI", "Status KPI", "Acties", "Lopend", "Te laat", "Let op"])


def coverage_table(
    cov: pd.DataFrame, themes: pd.DataFrame | None = None, kpi_names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The coverage frame with KPI names as rows, theme labels as columns and a total column."""
    labels = theme_labels(themes)
    names = kpi_names or {}
    out = cov.rename(index=lambda c: names.get(c, c), columns=lambda t: labels.get(t, t))
    out["Totaal lopend"] = cov.sum(axis=1).to_numpy()
    out.index.name = "KPI"
    out.columns.name = None
    return out.reset_index()


def roles_table(overview: pd.DataFrame, themes: pd.DataFrame | None = None) -> pd.DataFrame:
    """`role_overview` as a Dutch table."""
    labels = theme_labels(themes)
    return pd.DataFrame({
        "Rol": overview["role"], "Organisatie": overview["body"],
        "Thema's": [", ".join(labels.get(t, t) for t in ts) or "–" for ts in overview["themes"]],
        "Acties": overview["actions"], "Lopend": overview["running"], "Te laat": overview["late"],
    }, columns=["Rol", "Organisatie", "Thema's", "Acties", "Lopend", "Te laat"])


def changes_table(changes: pd.DataFrame, themes: pd.DataFrame | None = None) -> pd.DataFrame:
    """`action_changes` as a Dutch table for 'Wat is er veranderd'."""
    labels = theme_labels(themes)
    rows = []
    for r in changes.itertuples():
        rows.append({
            "Actie": f"{r.code} {r.title}" + (" (illustratief)" if r.illustrative else ""),
            "Thema": labels.get(r.theme, r.theme),
            "Was": "(nieuw)" if r.status_before is None else werkplan.status_label(r.status_before),
            "Is nu": "(vervallen)" if r.status_after is None else werkplan.status_label(r.status_after),
            "Toelichting": werkplan.text_value(r.note),
            "Vastgelegd": "–" if r.recorded_at is None or pd.isna(r.recorded_at)
            else fmt.timestamp(pd.Timestamp(r.recorded_at)),
        })
    return pd.DataFrame(rows, columns=["Actie", "Thema", "Was", "Is nu", "Toelichting", "Vastgelegd"])


# ---- documents (PDF pages and slides of a briefing) -------------------------------------------

DOC_COLUMNS = ["Code", "Actie", "Status", "Te laat", "Deadline", "Rol", "Budget", "Besteed"]


def doc_table(table: pd.DataFrame) -> pd.DataFrame:
    """A theme's actions for a document: fewer columns, '(illustratief)' after a demo action."""
    out = table.copy()
    out["Actie"] = [f"{a} (illustratief)" if i.startswith("ja") else a for a, i in zip(out["Actie"], out["Illustratief"])]
    return out[DOC_COLUMNS]


def cell_rgb(column: str, value: str) -> tuple[int, int, int] | None:
    """The background of a document cell as RGB: status colours and late in red; None: no fill."""
    if column == "Status":
        fill = status_fill(value)
    elif column == "Te laat" and value == "ja":
        fill = LATE_FILL
    else:
        return None
    if not fill:
        return None
    h = fill.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


# ---- the page's own HTML tables -----------------------------------------------------------------
# st.dataframe draws on a canvas and cannot wrap text, so at 1280 px the werkplan's columns ran off
# the right edge and on a phone only the code showed. These tables wrap, fit the width and, on a
# phone, become one card per row (ui/styles.py, class "wp-table"). Every user text passes
# html.escape here, the only place these tables are written: user text is never HTML. The other
# pages' tables with long text (Metingen, Importgeschiedenis, Gewijzigde status, Bronnen,
# Vergelijken) use the same `frame_html` through ui.components.wrapped_table (issue 19).
# (Streamlit 1.67's st.dataframe can wrap only within one fixed `row_height` for every row, so a
# long note is still cut, and the grid scrolls sideways on a phone.)

HTML_ACTION_COLUMNS = ["Actie", "Status", "Deadline", "Rol en eigenaar", "KPI's", "Toelichting"]


def _esc(value: object) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))


def html_table(headers: list[str], rows: list[list[str]], css: str = "", row_classes: list[str] | None = None,
               caption: str = "") -> str:
    """A table from cells that are already HTML (escaped by the caller); every cell carries its
    column's name in data-label, which the phone layout shows before the value."""
    head = "".join(f'<th scope="col">{_esc(h)}</th>' for h in headers)
    body = []
    for i, cells in enumerate(rows):
        cls = (row_classes or [""] * len(rows))[i]
        tds = "".join(f'<td data-label="{_esc(h)}">{c}</td>' for h, c in zip(headers, cells))
        body.append(f'<tr class="{_esc(cls)}">{tds}</tr>' if cls else f"<tr>{tds}</tr>")
    cap = f"<caption>{_esc(caption)}</caption>" if caption else ""
    return (f'<table class="wp-table {_esc(css)}">{cap}<thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


# A word longer than this (a URL, a file name, a checksum) may break anywhere; shorter words stay
# whole, so that a narrow column ('30-6-2026') is never broken to make room for a long note.
LONG_WORD = 24


def _cell(value: object) -> str:
    """A cell's escaped text; a text with a very long word may break inside it (class 'wp-long')."""
    text = _esc(value)
    if any(len(word) > LONG_WORD for word in str(value).split()):
        return f'<span class="wp-long">{text}</span>'
    return text


def frame_html(frame: pd.DataFrame, css: str = "wp-cards", numeric: Iterable[str] = (),
               scroll_label: str | None = None) -> str:
    """Any Dutch display table as a wrapping HTML table (a card per row on a phone), every value
    escaped; `numeric` columns are right-aligned (class 'num'). With `scroll_label` the table sits
    in a box of limited height that scrolls up and down only, a region of that name that the
    keyboard can reach (for tables of hundreds of rows)."""
    numeric = set(numeric)
    rows = [[(f'<span class="num">{_esc(v)}</span>' if c in numeric else _cell(v)) for c, v in zip(frame.columns, r)]
            for r in frame.itertuples(index=False)]
    table = html_table(list(frame.columns), rows, css)
    if scroll_label is None:
        return table
    return f'<div class="wp-scroll" role="region" aria-label="{_esc(scroll_label)}" tabindex="0">{table}</div>'


def _status_html(status: str, late: bool) -> str:
    fill = status_fill(status)
    style = f' style="background-color: {fill}"' if fill else ""
    out = f'<span class="wp-status"{style}>{_esc(status)}</span>'
    return out + (' <span class="wp-late">te laat</span>' if late else "")


def actions_html(table: pd.DataFrame) -> str:
    """An actions table (`actions_table` with status symbols) as the page shows it: per action the
    code and title (and 'illustratief' for a demo action; the theme when the table has one), status in word and symbol with 'te laat',
    deadline with budget and spent, role and owner, the linked KPIs and the note."""
    rows, classes = [], []
    for r in table.to_dict("records"):
        demo = ' <span class="wp-demo">illustratief</span>' if str(r.get("Illustratief", "")).startswith("ja") else ""
        late = r.get("Te laat") == "ja"
        budget = [f"budget {r['Budget']}" if r.get("Budget", "–") != "–" else "",
                  f"besteed {r['Besteed']}" if r.get("Besteed", "–") != "–" else ""]
        budget_text = ", ".join(b for b in budget if b)
        owner = r.get("Eigenaar", "–")
        theme = f'<div class="wp-sub">Thema {_esc(r["Thema"])}</div>' if r.get("Thema") else ""
        rows.append([
            f'<span class="wp-code">{_esc(r["Code"])}</span> {_esc(r["Actie"])}{demo}{theme}',
            _status_html(r["Status"], late),
            _esc(r["Deadline"]) + (f'<div class="wp-sub">{_esc(budget_text)}</div>' if budget_text else ""),
            _esc(r.get("Rol", "–")) + (f'<div class="wp-sub">{_esc(owner)}</div>' if owner and owner != "–" else ""),
            _esc(r.get("KPI's", "–")),
            _esc(r.get("Toelichting", "")) or "–",
        ])
        classes.append("wp-row-late" if late else "")
    return html_table(HTML_ACTION_COLUMNS, rows, "wp-actions wp-cards", classes)


def without_running_action(coverage: pd.DataFrame) -> list[str]:
    """The KPIs of a `coverage_table` with no running action (a 0 in 'Totaal lopend')."""
    return [str(k) for k, n in zip(coverage["KPI"], coverage["Totaal lopend"]) if int(n) == 0]


def uncovered_line(coverage: pd.DataFrame) -> str:
    """The Dekking view's lead: which KPIs have nothing running (plain text)."""
    names = without_running_action(coverage)
    if not names:
        return "Voor elke KPI loopt minstens één actie."
    return f"Geen lopende actie voor {fmt.count(len(names), 'KPI', 'KPI’s')}: {', '.join(names)}."


def coverage_html(coverage: pd.DataFrame, themes: pd.DataFrame | None = None) -> str:
    """A `coverage_table` for the page: KPI, then the total of running actions (a 0 marked), then
    one narrow column per theme headed by its letter (the legend is `theme_legend`); KPIs with
    nothing running first."""
    letters = {label: label.split(" ", 1)[0] for label in theme_labels(themes).values()}
    theme_cols = [c for c in coverage.columns if c not in ("KPI", "Totaal lopend")]
    ordered = coverage.assign(_n=coverage["Totaal lopend"]).sort_values("_n", kind="stable")
    rows, classes = [], []
    for r in ordered.to_dict("records"):
        total = int(r["Totaal lopend"])
        mark = f' style="background-color: {LATE_FILL}"' if total == 0 else ""
        rows.append([_esc(r["KPI"]), f'<span class="num wp-total"{mark}>{total}</span>',
                     *(f'<span class="num">{int(r[c])}</span>' for c in theme_cols)])
        classes.append("wp-row-late" if total == 0 else "")
    headers = ["KPI", "Lopend", *(letters.get(c, c) for c in theme_cols)]
    return html_table(headers, rows, "wp-coverage", classes)


def theme_legend(themes: pd.DataFrame) -> str:
    """'A compact & compleet · B prettig & comfortabel · …' for the coverage's letter columns."""
    return " · ".join(theme_labels(themes).values())

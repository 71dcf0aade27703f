"""Static style sheets (no data in them), one constant per concern, injected by `ui.frame`.

LAYOUT_CSS: every page (first screen on phone and beamer, cards, banner, page margins).
TABLE_CSS: every page (the app's own HTML tables: wrapping, cards on a phone).
A11Y_CSS: every page (visible keyboard focus, contrast fixes).
MENU_CSS, MENU_JS: every page (the app's own sidebar menu, ui.frame.sidebar_menu).
PRINT_CSS: every page, `@media print` only (a clean "print to PDF" of a page).
MEETING_CSS: meeting mode only (the projector view: no sidebar, larger type).
upload_box(): the Importeren page only (Dutch text in Streamlit's upload box, with the app's limit).
"""

LAYOUT_CSS = """
/* Streamlit's English typing hint in form fields ("Press Enter to submit form", "6/200"): the
   forms have their own Dutch button, and the hint covered the end of the field on a phone. */
[data-testid="InputInstructions"] {display: none;}
/* The demo notice: one line in warning colours on every page, its explanation behind it. */
/* In px: meeting mode sets the root font to 26px, and the notice stays one small line there too. */
.st-key-demo_banner details {background: #FFF4CE; border-color: #B78A00;}
.st-key-demo_banner summary {padding: 5px 12px; min-height: 0;}
.st-key-demo_banner summary [data-testid="stMarkdownContainer"] p {font-size: 17px; line-height: 1.6;}
.st-key-demo_banner summary [data-testid="stExpanderIcon"] {font-size: 20px;}
/* The first screen: less empty space above the first element, but none of it under the header
   bar (3.75rem, opaque on a phone); a smaller title on a phone. */
[data-testid="stMainBlockContainer"] {padding-top: 4rem;}
/* Streamlit's wide layout keeps 5rem empty on each side while tables scroll: 1.5rem is enough
   beside the menu (the phone keeps Streamlit's 1rem). */
@media (min-width: 641px) {
  [data-testid="stMainBlockContainer"] {padding-left: 1.5rem; padding-right: 1.5rem;}
}
/* On a phone a table's toolbar (search, download, full screen) is always shown and sat over the
   heading above the table: room above each table for it. */
@media (max-width: 640px) {
  [data-testid="stElementContainer"]:has(> [data-testid="stDataFrame"]),
  [data-testid="stElementContainer"]:has(> div > [data-testid="stDataFrame"]) {margin-top: 2.25rem;}
}
@media (max-width: 640px) {
  [data-testid="stMain"] [data-testid="stHeadingWithActionElements"] h1 {font-size: 1.9rem;}
}
/* The overview's summary: one KPI per line, the status badges one width so the names align
   (Streamlit's badge rule is more specific than this one, hence !important). */
.st-key-samenvatting p {margin-bottom: 0; line-height: 1.8; padding-left: 6.7rem; text-indent: -6.7rem;}
.st-key-samenvatting .stMarkdownBadge {display: inline-block; min-width: 6.4rem !important; margin-right: .3rem; line-height: 1.5; text-indent: 0;}
/* On a phone each line, now with its target, wraps to two or three rows: closer rows keep all five
   on the first screen (issue 19). */
@media (max-width: 640px) {.st-key-samenvatting p {line-height: 1.6;}}
/* The phone's short status list (issue 21: seven KPIs): status and name per KPI, only on narrow
   screens; wider screens have room for the summary's full lines. */
@media (min-width: 641px) {
  .st-key-statuslijst, [data-testid="stLayoutWrapper"]:has(> .st-key-statuslijst) {display: none;}
}
@media (max-width: 640px) {
  .st-key-statuslijst {margin-bottom: .75rem;}
  .st-key-statuslijst p {margin-bottom: 0; line-height: 1.5; padding-left: 6.7rem; text-indent: -6.7rem;}
  .st-key-statuslijst .stMarkdownBadge {display: inline-block; min-width: 6.4rem !important; margin-right: .3rem; text-indent: 0;}
  .st-key-statuslijst > [data-testid="stElementContainer"] p {padding-left: 0; text-indent: 0; margin-top: .35rem;}
}
/* The agreement above its lines (issue 21): a heading and one line about it, without the lines'
   hanging indent; on a phone the line about it gives way to the KPI lines (the cards repeat it). */
.st-key-samenvatting [class*="st-key-akkoord_"] p {padding-left: 0; text-indent: 0;}
.st-key-samenvatting [class*="st-key-akkoord_"] {margin-top: .5rem;}
@media (max-width: 640px) {.st-key-samenvatting [class*="st-key-akkoord_"] [data-testid="stCaptionContainer"] {display: none;}}
/* Nothing in a card is cut off: links ("Details leegstand (verkoop"), badges and the change
   since the previous measurement wrap where a card is narrow (Streamlit's own rules for these
   are more specific than any selector here, hence !important). */
[data-testid="stPageLink"] a, [data-testid="stPageLink"] p, [data-testid="stPageLink"] span,
[class*="st-key-card_"] .stMarkdownBadge, [class*="st-key-card_"] [data-testid="stMetricDelta"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; height: auto;
}
"""

# The app's own tables (kpi.werkplan.tables.html_table: the werkplan's, Metingen, Importgeschiedenis,
# ...): wrapped text, the full width, no horizontal scrolling; on a phone one card per row, each value
# after its column's name (class wp-labelled: the first value too).
TABLE_CSS = """
.wp-table {width: 100%; border-collapse: collapse; font-size: .9rem; line-height: 1.35; margin: 0 0 .5rem;}
.wp-table th, .wp-table td {border-bottom: 1px solid #d5dae5; padding: .35rem .5rem; text-align: left;
  vertical-align: top; overflow-wrap: break-word;}
.wp-table th {background: #f5f7fa; font-weight: 600; overflow-wrap: normal;}
.wp-table .num {display: inline-block; min-width: 1.6rem; text-align: right;}
.wp-table .wp-total {font-weight: 700; padding: 0 .3rem; border-radius: 4px;}
.wp-table .wp-code {font-weight: 700; white-space: nowrap;}
.wp-table .wp-status {display: inline-block; padding: 0 .35rem; border-radius: 4px; white-space: nowrap;}
.wp-table .wp-late {display: inline-block; padding: 0 .35rem; border-radius: 4px; background: #fee2e2;
  color: #7f1d1d; font-weight: 700; white-space: nowrap;}
.wp-table .wp-demo {display: inline-block; padding: 0 .35rem; border-radius: 4px; background: #ede9fe;
  color: #4c1d95; font-size: .8rem;}
.wp-table .wp-sub {color: #4b5563; font-size: .8rem;}
.wp-table .wp-long {overflow-wrap: anywhere;}
/* A table of hundreds of rows (Metingen of a daily series) scrolls up and down in its own box. */
.wp-scroll {max-height: 34rem; overflow-y: auto; margin-bottom: .5rem; border-bottom: 1px solid #d5dae5;}
.wp-scroll .wp-table {margin-bottom: 0;}
.wp-scroll thead th {position: sticky; top: 0; z-index: 1;}
.wp-actions td:nth-child(1) {min-width: 12rem;}
.wp-actions td:nth-child(2) {width: 8.5rem;}
.wp-actions td:nth-child(3) {width: 7rem;}
.wp-coverage th:nth-child(n+3), .wp-coverage td:nth-child(n+3) {width: 2.6rem;}
.wp-coverage th:nth-child(2), .wp-coverage td:nth-child(2) {width: 4.5rem;}
@media (max-width: 640px) {
  .wp-cards, .wp-cards tbody, .wp-cards tr, .wp-cards td {display: block; width: auto !important;}
  .wp-cards thead {position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);}
  .wp-cards tr {border: 1px solid #d5dae5; border-radius: 8px; margin-bottom: .6rem; padding: .4rem .6rem;}
  .wp-cards tr.wp-row-late {border-left: 4px solid #b91c1c;}
  .wp-cards td {border: 0; padding: .1rem 0; min-width: 0 !important;}
  .wp-cards td:first-child {font-weight: 600;}
  .wp-cards td:nth-child(n+2)::before, .wp-labelled td:first-child::before {content: attr(data-label) ": "; font-weight: 600;}
  .wp-actions td:first-child {font-weight: 400;}
  .wp-actions td:nth-child(2)::before {content: none;}
  .wp-cards td .wp-sub {display: inline; margin-left: .3rem;}
  .wp-cards .num {min-width: 0;}
  .wp-table {font-size: .85rem;}
  .wp-table th, .wp-table td {padding: .3rem .3rem;}
  .wp-coverage {font-size: .8rem;}
  .wp-coverage th, .wp-coverage td {padding: .3rem .2rem;}
  .wp-coverage .num {min-width: 0;}
  .wp-coverage th:nth-child(n+3), .wp-coverage td:nth-child(n+3) {width: 1.1rem; text-align: center;}
  .wp-coverage th:nth-child(2), .wp-coverage td:nth-child(2) {width: 3.2rem;}
}
"""


def upload_box(limit_mb: int, types: str) -> str:
    """Dutch text for Streamlit's upload box, which has no setting for its English "Upload" and
    "200MB per file": the English spans are hidden and Dutch generated content takes their place.
    The limit is the app's own (Settings.max_upload_mb). Browsers count generated content in the
    button's name, axe-core does not (and neither may every screen reader): UPLOAD_BUTTON_JS also
    gives the button its Dutch name as aria-label. Static text only, nothing from a user."""
    drop = "[data-testid=\"stFileUploaderDropzone\"]"
    return f"""<style>
{drop} button [data-testid="stMarkdownContainer"] {{display: none;}}
{drop} button > div::after {{content: "{UPLOAD_BUTTON_NAME}"; margin-left: .4rem;}}
[data-testid="stFileUploaderDropzoneInstructions"] span {{display: none;}}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{
  content: "Sleep bestanden hierheen of kies ze · hoogstens {limit_mb} MB per bestand · {types}";
  font-size: .875rem;
}}
/* An uploaded file's size is written the English way ("73.0B"): the preview says what matters. */
[data-testid="stFileChipName"] + div {{display: none;}}
</style>"""


UPLOAD_BUTTON_NAME = "Kies bestanden"
# Sets the upload button's aria-label; Streamlit redraws the button, so an observer keeps it (once
# per page, however often the page reruns).
UPLOAD_BUTTON_JS = """<script>
(() => {
  if (window.__kpiUploadName) return;
  window.__kpiUploadName = true;
  const name = () => document.querySelectorAll('[data-testid="stFileUploaderDropzone"] button').forEach(
    (b) => { if (b.getAttribute("aria-label") !== "NAME") b.setAttribute("aria-label", "NAME"); });
  name();
  new MutationObserver(name).observe(document.body, {childList: true, subtree: true});
})();
</script>""".replace("NAME", UPLOAD_BUTTON_NAME)


# Keyboard focus (WCAG 2.4.7 and 1.4.11): one solid 3px ring in the primary blue #0072B2 (5,2:1 on
# white, 4,7:1 on the sidebar's #F2F5F8). Streamlit's own ring is a half-transparent blue shadow
# (about 2:1), and its menu links, page links and chart toolbar buttons show none at all.
# Text fields and select boxes get the ring on the visible field around the focused <input> (its
# parent); check boxes and radio buttons (a hidden <input>) on their label.
# Text only for screen readers (visually hidden, still read; its wrapper out of the flow, so no
# gap is added either): meeting mode's chart description.
FOCUS_COLOUR = "#0072B2"
A11Y_CSS = f"""
:focus-visible:not(input, textarea) {{outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 2px !important;}}
[data-testid="stMain"]:focus-visible, [data-testid="stSidebarContent"]:focus-visible {{outline-offset: -3px !important;}}
div:has(> input:focus-visible, > textarea:focus-visible) {{outline: 3px solid {FOCUS_COLOUR}; outline-offset: 1px;}}
label:has(input:focus-visible) {{outline: 3px solid {FOCUS_COLOUR}; outline-offset: 2px;}}
[data-testid="stLayoutWrapper"]:has(> .st-key-meeting_chart_text) {{position: absolute !important;}}
.st-key-meeting_chart_text {{
  position: absolute !important; width: 1px !important; min-width: 0 !important; max-width: 1px !important;
  height: 1px !important; overflow: hidden !important; clip-path: inset(50%); white-space: nowrap;
  margin: -1px !important; padding: 0 !important; border: 0 !important; flex: none !important;
}}
"""

# The app's menu (ui.frame.sidebar_menu): small section headings in the sidebar's grey text
# (#4B5563: 7,0:1 on the sidebar's #F0F2F6), the current page highlighted by its container's key
# (menu_hier_…), the script's own container out of sight, rows a pointer and a finger can hit.
MENU_CSS = """
.st-key-menu h2.menu-kop {font-size: .8rem; font-weight: 600; line-height: 1.4; color: #4B5563;
  margin: .75rem 0 .1rem; padding: 0 .5rem; scroll-margin-top: 0;}
.st-key-menu [data-testid="stElementContainer"]:has(> div > h2.menu-kop),
.st-key-menu [data-testid="stElementContainer"]:has(h2.menu-kop) {margin-bottom: 0;}
.st-key-menu [class*="st-key-menu_hier_"] a {background-color: rgba(151, 166, 195, .25);}
.st-key-menu [class*="st-key-menu_hier_"] a p {font-weight: 700;}
.st-key-menu_js, [data-testid="stLayoutWrapper"]:has(> .st-key-menu_js) {display: none !important;}
/* Rows of about 1,8rem (Streamlit's page links are 1,3rem: the focus ring covered the neighbours'
   text), 2,3rem on a phone, where a finger needs a larger target than a mouse. */
.st-key-menu a {padding-top: .25rem; padding-bottom: .25rem;}
@media (max-width: 768px) {.st-key-menu a {padding-top: .45rem; padding-bottom: .45rem;}}
"""

# What Streamlit's markup cannot say, set on the menu's elements (and again when Streamlit redraws
# them; once per page, however often it reruns): a navigation landmark named "Menu", per section a
# list labelled by its heading with one item per link, aria-current="page" on the current page's
# link. On a phone (Streamlit's breakpoint: 768 px and narrower) the sidebar lies over the page:
# it closes after a page is chosen, as Streamlit's own menu did. Static text, nothing from a user.
MENU_JS = """<script>
(() => {
  if (window.__kpiMenu) return;
  window.__kpiMenu = true;
  const set = (el, name, value) => { if (el.getAttribute(name) !== value) el.setAttribute(name, value); };
  const mark = () => {
    const nav = document.querySelector('.st-key-menu');
    if (!nav) return;
    set(nav, 'role', 'navigation');
    set(nav, 'aria-label', 'Menu');
    nav.querySelectorAll('[class*="st-key-menu_sectie_"]').forEach((list) => {
      const number = (list.className.match(/st-key-menu_sectie_(\\d+)/) || [])[1];
      set(list, 'role', 'list');
      if (number !== undefined) set(list, 'aria-labelledby', 'menu-kop-' + number);
      [...list.children].forEach((item) => set(item, 'role', item.querySelector('a') ? 'listitem' : 'none'));
    });
    nav.querySelectorAll('a').forEach((link) => {
      if (link.closest('[class*="st-key-menu_hier_"]')) set(link, 'aria-current', 'page');
      else if (link.hasAttribute('aria-current')) link.removeAttribute('aria-current');
    });
  };
  mark();
  new MutationObserver(mark).observe(document.body, {childList: true, subtree: true});
  document.addEventListener('click', (event) => {
    if (!(event.target instanceof Element) || !event.target.closest('.st-key-menu a')) return;
    if (!window.matchMedia('(max-width: 768px)').matches) return;
    const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (close) close.click();
  });
})();
</script>"""

PRINT_CSS = """
/* Landscape: a chart keeps the width it was drawn at on the screen (plotly sizes it in pixels). */
@page {size: A4 landscape; margin: 1cm;}
@media print {
  /* App chrome and controls that mean nothing on paper. */
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stElementToolbar"], .modebar-container, [data-testid="stSelectbox"],
  [data-testid="stDownloadButton"], [data-testid="stButton"], [data-testid="stPageLink"],
  [data-testid="stTextInput"], [data-testid="stDateInput"], [data-testid="stFileUploader"] {display: none !important;}
  /* The whole page, not the part the window showed; the full paper width. */
  html, body, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"] {
    height: auto !important; overflow: visible !important; position: static !important;}
  [data-testid="stMain"], [data-testid="stMainBlockContainer"] {
    max-width: 100% !important; width: 100% !important; margin: 0 !important; padding: 0 !important;}
  /* Drawn at the screen width: a chart from a window up to about 1.500 px wide fits the paper. */
  [data-testid="stPlotlyChart"] .js-plotly-plot {zoom: 0.7;}
  /* A heading stays with what follows it. */
  h1, h2, h3, [data-testid="stElementContainer"]:has(h2, h3) {break-after: avoid; page-break-after: avoid;}
  /* A chart or table is never cut across two pages. */
  [data-testid="stElementContainer"]:has([data-testid="stPlotlyChart"]),
  [data-testid="stPlotlyChart"], [data-testid="stDataFrame"], [data-testid="stMetric"] {
    break-inside: avoid; page-break-inside: avoid;}
  /* A long table's scroll box prints whole; its rows stay whole. */
  .wp-scroll {max-height: none !important; overflow: visible !important;}
  .wp-table tr {break-inside: avoid; page-break-inside: avoid;}
  /* Whose page this is, now that the sidebar with the name is gone. */
  [data-testid="stMainBlockContainer"]::before {content: "Binnenstadmonitor"; display: block;
    font-weight: 700; font-size: 14pt; margin-bottom: 0.5rem;}
}
"""

MEETING_CSS = """
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {display: none;}
[data-testid="stMainBlockContainer"] {padding: 0.5rem 2rem 0.25rem; max-width: 100%;}
html, body, [data-testid="stMarkdownContainer"] p {font-size: 26px;}
/* Whole words only: a title too wide for a phone gets a smaller size below, never a break
   inside a word ("Binnenstadak/koord"). */
h1 {font-size: 44px !important; padding: 0.25rem 0 0 !important; overflow-wrap: normal !important;
    word-break: normal !important; hyphens: manual;}
/* The demo notice (ui.components.illustrative_banner, one collapsed line): as tight as a caption on
   the beamer. */
.st-key-demo_banner summary {padding-top: 0.1rem; padding-bottom: 0.1rem; min-height: 0;}
.st-key-demo_banner summary [data-testid="stMarkdownContainer"] p {font-size: 20px; line-height: 1.3;}
.st-key-meeting_figures [data-testid="stMetricValue"] p {font-size: 88px !important; line-height: 1.05; font-weight: 700;}
.st-key-meeting_figures [data-testid="stMarkdownContainer"] p {margin-bottom: 0;}
.st-key-meeting_figures [data-testid="stMetric"] {padding-bottom: 0;}
.st-key-meeting_sentence p {font-size: 21px !important; line-height: 1.35;}
.st-key-meeting_duiding p {font-size: 18px !important; line-height: 1.3; margin-bottom: 0;}
.st-key-meeting_summary [data-testid="stCaptionContainer"] p {font-size: 20px;}
/* Seven KPIs in two agreements fit one 1280x720 screen: no paragraph margin under each cell. */
.st-key-meeting_summary [data-testid="stMarkdownContainer"] p {margin-bottom: 0;}
.st-key-meeting_leave p {font-size: 20px !important;}
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] {padding: 0.5rem 1rem 0.25rem;}
  h1 {font-size: 30px !important;}
  html, body, [data-testid="stMarkdownContainer"] p {font-size: 20px;}
  .st-key-meeting_figures [data-testid="stMetricValue"] p {font-size: 64px !important;}
  /* The summary's columns stack: one block per KPI, without the column headings row. */
  .st-key-meeting_summary [data-testid="stHorizontalBlock"]:has([data-testid="stCaptionContainer"]) {display: none;}
  .st-key-meeting_summary [data-testid="stHorizontalBlock"] {gap: 0.25rem; padding-bottom: 0.75rem;
    border-bottom: 1px solid #d5dae5;}
  .st-key-meeting_summary [data-testid="stColumn"]:nth-child(4) [data-testid="stMarkdownContainer"] p::before {
    content: "Doel: ";}
}
"""


def every_page() -> str:
    """The style element for every page ('' when there is nothing to add)."""
    css = "\n".join(part.strip() for part in (LAYOUT_CSS, TABLE_CSS, A11Y_CSS, MENU_CSS, PRINT_CSS) if part.strip())
    return f"<style>\n{css}\n</style>" if css else ""


def meeting() -> str:
    return f"<style>\n{MEETING_CSS.strip()}\n</style>"

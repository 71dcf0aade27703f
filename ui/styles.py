"""Static style sheets (no data in them), one constant per concern, injected by `ui.frame`.

LAYOUT_CSS: every page (first screen on phone and beamer, cards, banner).
A11Y_CSS: every page (visible keyboard focus, contrast fixes).
PRINT_CSS: every page, `@media print` only (a clean "print to PDF" of a page).
MEETING_CSS: meeting mode only (the projector view: no sidebar, larger type).
"""

LAYOUT_CSS = ""

A11Y_CSS = ""

PRINT_CSS = ""

MEETING_CSS = """
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {display: none;}
[data-testid="stMainBlockContainer"] {padding: 0.5rem 2rem 0.25rem; max-width: 100%;}
html, body, [data-testid="stMarkdownContainer"] p {font-size: 26px;}
/* Whole words only: a title too wide for a phone gets a smaller size below, never a break
   inside a word ("Binnenstadak/koord"). */
h1 {font-size: 44px !important; padding: 0.25rem 0 0 !important; overflow-wrap: normal !important;
    word-break: normal !important; hyphens: manual;}
/* The demo notice (ui.components.illustrative_banner, one collapsed line): as tight as a caption on
   the beamer. The stAlert rule keeps a banner drawn as st.warning small. */
.st-key-demo_banner summary {padding-top: 0.1rem; padding-bottom: 0.1rem; min-height: 0;}
.st-key-demo_banner summary p {font-size: 20px; line-height: 1.3;}
[data-testid="stAlert"] p {font-size: 16px !important; line-height: 1.3;}
.st-key-meeting_figures [data-testid="stMetricValue"] p {font-size: 88px !important; line-height: 1.05; font-weight: 700;}
.st-key-meeting_figures [data-testid="stMarkdownContainer"] p {margin-bottom: 0;}
.st-key-meeting_figures [data-testid="stMetric"] {padding-bottom: 0;}
.st-key-meeting_sentence p {font-size: 21px !important; line-height: 1.35;}
.st-key-meeting_summary [data-testid="stCaptionContainer"] p {font-size: 20px;}
.st-key-meeting_leave p {font-size: 20px !important;}
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] {padding: 0.5rem 1rem 0.25rem;}
  h1 {font-size: 30px !important;}
  html, body, [data-testid="stMarkdownContainer"] p {font-size: 20px;}
  .st-key-meeting_figures [data-testid="stMetricValue"] p {font-size: 64px !important;}
}
"""


def every_page() -> str:
    """The style element for every page ('' when there is nothing to add)."""
    css = "\n".join(part.strip() for part in (LAYOUT_CSS, A11Y_CSS, PRINT_CSS) if part.strip())
    return f"<style>\n{css}\n</style>" if css else ""


def meeting() -> str:
    return f"<style>\n{MEETING_CSS.strip()}\n</style>"

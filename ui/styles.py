"""Static style sheets (no data in them), one constant per concern, injected by `ui.frame`.

LAYOUT_CSS: every page (first screen on phone and beamer, cards, banner).
A11Y_CSS: every page (visible keyboard focus, contrast fixes).
PRINT_CSS: every page, `@media print` only (a clean "print to PDF" of a page).
MEETING_CSS: meeting mode only (the projector view: no sidebar, larger type).
"""

LAYOUT_CSS = ""

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

PRINT_CSS = ""

MEETING_CSS = """
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {display: none;}
.block-container {padding-top: 1rem; max-width: 100%;}
html, body, [data-testid="stMarkdownContainer"] p {font-size: 26px;}
h1 {font-size: 48px;}
"""


def every_page() -> str:
    """The style element for every page ('' when there is nothing to add)."""
    css = "\n".join(part.strip() for part in (LAYOUT_CSS, A11Y_CSS, PRINT_CSS) if part.strip())
    return f"<style>\n{css}\n</style>" if css else ""


def meeting() -> str:
    return f"<style>\n{MEETING_CSS.strip()}\n</style>"

"""The app's pages as one table: module in screens/, menu section, title, icon and URL path.

ui.frame registers them with st.navigation and draws the menu from them; ui.guard reads the URL
paths to answer an address that is no page with a Dutch "Pagina niet gevonden" instead of
Streamlit's English dialog. Light on purpose (no Streamlit, no pandas): the guard imports it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    """One page: its module in screens/, navigation section, title, icon and URL."""

    module: str
    section: str
    title: str
    icon: str
    url: str
    editors_only: bool = False
    default: bool = False
    unlisted: bool = False  # in no menu, reached by a link only (the unsubscribe link in a digest)


MEETING_URL = "vergadering"
PAGES = (
    PageSpec("overzicht", "Dashboard", "Overzicht", ":material/dashboard:", "overzicht", default=True),
    PageSpec("kpi_detail", "Dashboard", "KPI in detail", ":material/show_chart:", "kpi"),
    PageSpec("benchmark", "Dashboard", "Vergelijken", ":material/leaderboard:", "vergelijken"),
    PageSpec("bronnen", "Dashboard", "Bronnen en definities", ":material/menu_book:", "bronnen"),
    PageSpec("werkplan", "Dashboard", "Werkplan", ":material/checklist:", "werkplan"),
    PageSpec("vergadering", "Vergadering en rapportage", "Vergadermodus", ":material/co_present:", MEETING_URL),
    PageSpec("wijzigingen", "Vergadering en rapportage", "Wat is er veranderd", ":material/difference:",
             "wijzigingen"),
    PageSpec("rapporten", "Vergadering en rapportage", "Rapporten en downloads", ":material/description:",
             "rapporten"),
    PageSpec("importeren", "Beheer", "Importeren", ":material/upload_file:", "importeren", editors_only=True),
    PageSpec("importgeschiedenis", "Beheer", "Importgeschiedenis", ":material/history:", "importgeschiedenis",
             editors_only=True),
    PageSpec("doelen", "Beheer", "Doelen beheren", ":material/flag:", "doelen", editors_only=True),
    PageSpec("gebeurtenissen", "Beheer", "Gebeurtenissen", ":material/event:", "gebeurtenissen",
             editors_only=True),
    PageSpec("abonnees", "Beheer", "Abonnees", ":material/mail:", "abonnees", editors_only=True),
    PageSpec("afmelden", "Vergadering en rapportage", "Afmelden", ":material/unsubscribe:", "afmelden",
             unlisted=True),
)


# Streamlit serves the default page at "/" only: /overzicht (a bookmark, a link in a mail) would
# show its English "Page not found" dialog. The default page therefore reserves another path
# and the overview is registered a second time, hidden from the menu, at its own URL.
DEFAULT_RESERVED_URL = "start"


def page_paths() -> frozenset[str]:
    """Every URL path the navigation answers, without slashes ('' is the default page at '/')."""
    return frozenset({"", DEFAULT_RESERVED_URL, *(spec.url for spec in PAGES)})

"""DCAT-AP-DONL metadata as JSON-LD, the way data.overheid.nl harvests a dataset: title,
description, contact point, publisher, identifier, language, licence, status, theme and one
distribution per file. Licence, publisher and contact come from the settings."""

from __future__ import annotations

import datetime as dt

from kpi.settings import Settings

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "adms": "http://www.w3.org/ns/adms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
DUTCH = "http://publications.europa.eu/resource/authority/language/NLD"
# DONL's value lists: status 'beschikbaar', theme Economie (TaxonomieBeleidsagenda).
AVAILABLE = "http://data.overheid.nl/status/beschikbaar"
THEME = "http://standaarden.overheid.nl/owms/terms/Economie"
OWMS = "http://standaarden.overheid.nl/owms/terms/"
_LICENCES = {
    "http://creativecommons.org/publicdomain/zero/1.0/deed.nl": "CC0 1.0",
    "http://creativecommons.org/publicdomain/mark/1.0/deed.nl": "Publiek domein",
    "http://creativecommons.org/licenses/by/4.0/deed.nl": "CC-BY 4.0",
}
MEDIA = {".csv": ("CSV", "text/csv"), ".json": ("JSON", "application/json")}
REQUIRED = ("dct:title", "dct:description", "dcat:contactPoint", "dct:publisher", "dct:identifier",
            "dct:language", "dct:license", "adms:status", "dcat:theme", "dcat:distribution")


def description(area: str) -> str:
    """The dataset's description in Dutch."""
    return (f"De kernindicatoren (KPI's) van {area}: de gemeten cijfers met "
            "peildatum en bron, de doelen met al hun versies en de huidige status per KPI volgens de "
            "statusregels van de Binnenstadmonitor. Illustratieve (demo)waarden zijn niet opgenomen.")


def licence_title(uri: str) -> str:
    """A licence URI's short name ('CC0 1.0'), or the URI itself."""
    return _LICENCES.get(uri, uri)


def publisher_uri(name: str) -> str:
    """The OWMS URI of a municipality ('Gemeente Assen' -> .../Assen_(gemeente)); else of the name."""
    if name.lower().startswith("gemeente "):
        return f"{OWMS}{name[len('gemeente '):].strip().replace(' ', '_')}_(gemeente)"
    return f"{OWMS}{name.strip().replace(' ', '_')}"


def base_url(settings: Settings) -> str:
    """Where the published directory is served."""
    return settings.opendata_url or f"{settings.base_url.rstrip('/')}/opendata"


def dataset(area: str, folder: str, settings: Settings, modified: dt.date, files: list[str]) -> dict:
    """The dcat:Dataset of one area's package (published in `folder`), one distribution per file."""
    home = f"{base_url(settings)}/{folder}"
    contact = {"@type": "vcard:Organization", "vcard:fn": settings.contact_name}
    if settings.contact_email:
        contact["vcard:hasEmail"] = {"@id": f"mailto:{settings.contact_email}"}
    else:
        contact["vcard:hasURL"] = {"@id": settings.base_url}
    distributions = []
    for name in [*files, "datapackage.json"]:
        fmt_name, media = MEDIA[name[name.rfind("."):]]
        distributions.append({
            "@id": f"{home}/{name}", "@type": "dcat:Distribution",
            "dct:title": {"@value": name, "@language": "nl"},
            "dcat:accessURL": {"@id": f"{home}/{name}"}, "dcat:downloadURL": {"@id": f"{home}/{name}"},
            "dct:format": fmt_name, "dcat:mediaType": media, "dct:license": {"@id": settings.licence},
            "dct:language": {"@id": DUTCH},
        })
    return {
        "@context": CONTEXT,
        "@id": home,
        "@type": "dcat:Dataset",
        "dct:identifier": home,
        "dct:title": {"@value": f"Binnenstadmonitor {area}", "@language": "nl"},
        "dct:description": {"@value": description(area), "@language": "nl"},
        "dct:language": {"@id": DUTCH},
        "dct:license": {"@id": settings.licence},
        "dct:publisher": {"@id": publisher_uri(settings.publisher), "@type": "foaf:Agent",
                          "foaf:name": settings.publisher},
        "dcat:contactPoint": contact,
        "adms:status": {"@id": AVAILABLE},
        "dcat:theme": {"@id": THEME},
        "dcat:keyword": ["binnenstad", "leegstand", "banen", "binnenstadsmonitor", area],
        "dct:modified": {"@value": modified.isoformat(), "@type": "xsd:date"},
        "dcat:landingPage": {"@id": settings.base_url},
        "dcat:distribution": distributions,
    }

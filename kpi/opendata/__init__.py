"""The figures as open data (issue 22): per centre (gebied) a directory with stable names.

    <map>/<gebied-als-slug>/cijfers.csv      tidy: gebied, indicator, peildatum, waarde, eenheid, bron
                            doelen.csv       every target version
                            statussen.csv    the current verdicts, on the published figures only
                            datapackage.json Frictionless data package with table schemas
                            dcat.jsonld      DCAT-AP-DONL metadata for data.overheid.nl

Illustrative (demo) values are never published; a centre with only illustrative figures
publishes nothing and says why (NothingToPublish). `package_files` builds the files in
memory (the Rapporten page zips them), `write_packages` writes them, each atomically.
"""

from kpi.opendata.package import (
    FILE_NAMES,
    NothingToPublish,
    package_files,
    publishable_areas,
    slug,
    write_packages,
    zip_bytes,
)

__all__ = ["FILE_NAMES", "NothingToPublish", "package_files", "publishable_areas", "slug", "write_packages",
           "zip_bytes"]

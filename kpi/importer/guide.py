"""The import formats in short, for the Importeren page (the README has the full reference).

Markdown written here, not stored user text: the page renders it as Markdown on purpose.
"""

from __future__ import annotations

IMPORT_GUIDE_TITLE = "Hoe ziet een importbestand eruit?"

IMPORT_GUIDE = """\
**Bestanden:** CSV (komma, puntkomma of tab; decimale komma of punt; `3.800` en `21,9%` mogen) of
Excel (.xlsx: het blad `data`, anders het eerste zichtbare blad). Kopregels zijn
hoofdletterongevoelig. De kopregel is rij 1: meldingen noemen bestand, rij en kolom.

**Cijfers, één rij per cijfer:** kolommen `gebied`, `indicator` (code of naam: `banen`,
`bedrijven`, `leegstand`, `leegstand_vvo`, `waardering`, `ranking`), `peildatum` of `jaar`
(`2025`, `1-4-2025`), `waarde`, `bron` (of vul hieronder *Bron voor het hele bestand* in) en
eventueel `toelichting`.

```
gebied;indicator;jaar;waarde;bron;toelichting
Assen binnenstad;banen;2025;4.310;LISA, via gemeente Assen;
Assen binnenstad;leegstand;2025;14,2%;Locatus;verkooppunten
```

**Cijfers, één kolom per jaar:** `gebied`, `indicator`, eventueel `bron` en `toelichting`, en een
kolom per jaar (`2023`, `2024`, ...). Een lege cel is "geen cijfer".

**Doelen:** `indicator`, `gebied`, `basiswaarde`, `basisjaar`, `doelwaarde`, `doeljaar`,
`richting`, `vergelijking`, `bron` en `reden`; eventueel `geldig_vanaf`, `planningshorizon` en
`basis_landelijk`. Elke rij die afwijkt van het huidige doel wordt een nieuwe doelversie.

**Actielijst (werkplan):** `code`, `titel`, `thema` (`A`-`F` of de naam), `status` (`gepland`,
`lopend`, `afgerond`, `vertraagd`, `gestopt`) en `bron`; eventueel `eigenaar`, `rol`, `jaar`,
`start`, `deadline`, `budget`, `besteed`, `fonds`, `kpi` en `toelichting`.

**Duiding van de regiegroep:** `gebied`, `indicator`, `periode` (jaar en kwartaal: `2026-K4`),
`oorzaak`, `effect`, `bijsturing` en `auteur`; eventueel `datum`. Eén rij per KPI en periode; een
gewijzigde tekst wordt een nieuwe versie.

**Gebieden en werkgroepen:** `slug` (in het adres: `emmen-centrum`) en `naam`; eventueel `soort`,
`werkgroep` (of `vergelijkingsgroep`), `illustratief` (`ja`/`nee`) en `toelichting`. Een nieuw
centrum wordt toegevoegd, een bekend centrum bijgewerkt; een slug of naam wijzigen kan niet.

Na het uploaden ziet u eerst wat er nieuw is en wat verandert; bij één fout wordt niets opgeslagen.
Een import is terug te draaien onder *Importgeschiedenis*.
"""

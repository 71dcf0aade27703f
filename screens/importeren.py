"""Importeren (editors): upload, preview (new / changed / unchanged), then save in one go."""

import streamlit as st

from kpi import formatting as fmt
from kpi.importer.guide import IMPORT_GUIDE, IMPORT_GUIDE_TITLE
from kpi.tables import problems_table
from ui import auth, data, styles
from ui.components import flash, md, show_flash

UPLOAD_TYPES = ["csv", "txt", "xlsx"]
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render() -> None:
    auth.require_editor()
    st.title("Cijfers importeren")
    st.markdown(
        "Upload een CSV- of Excelbestand met nieuwe cijfers (LISA, Locatus, bezoekersonderzoek, ranking) of "
        "met herziene doelen, of de actielijst van het werkplan. Eerst ziet u wat er verandert; pas na **Opslaan** wordt alles in één keer "
        "vastgelegd."
    )
    with st.expander(IMPORT_GUIDE_TITLE, icon=":material/help:"):
        st.markdown(IMPORT_GUIDE)
    with st.expander("Sjablonen (Excel) om in te vullen", icon=":material/download:"):
        st.markdown("Elk sjabloon heeft de kolommen, een voorbeeldrij en keuzelijsten met de indicatoren, "
                    "gebieden, thema's, rollen en statussen zoals ze nu in de monitor staan.")
        templates = data.import_templates()
        per_row = 4  # seven kinds: two rows that fit beside the menu at 1280 px (a phone stacks them)
        cells = [col for start in range(0, len(templates), per_row) for col in st.columns(per_row)]
        for col, (kind, word, file_name) in zip(cells, templates, strict=False):
            col.download_button(f"Sjabloon {word}", lambda kind=kind: data.import_template(kind),
                                file_name=file_name, mime=XLSX_MIME, key=f"template_{kind}",
                                on_click="ignore", icon=":material/table:")
    show_flash()

    limit_mb = data.settings().max_upload_mb
    round_ = st.session_state.setdefault("import_round", 0)
    st.html(styles.upload_box(limit_mb, ", ".join(t.upper() for t in UPLOAD_TYPES)))
    st.html(styles.UPLOAD_BUTTON_JS, unsafe_allow_javascript=True)
    # The app's limit is also the widget's, so Streamlit refuses a larger file itself.
    files = st.file_uploader(f"Bestanden (CSV of .xlsx, hoogstens {limit_mb} MB per bestand)",
                             type=UPLOAD_TYPES, accept_multiple_files=True, key=f"import_files_{round_}",
                             max_upload_size=limit_mb)
    c1, c2 = st.columns(2)
    default_source = c1.text_input("Bron voor het hele bestand (als er geen kolom ‘bron’ is)", key="import_source")
    user = auth.name_field("Uw naam (komt in de importgeschiedenis)", key="import_user", container=c2)
    create_areas = st.checkbox("Onbekende gebieden als nieuw gebied toevoegen", key="import_new_areas")

    if files:
        too_big = [f.name for f in files if f.size > limit_mb * 1024 * 1024]
        if too_big:
            st.error(f"Te groot (meer dan {limit_mb} MB), niet ingelezen: {', '.join(too_big)}")
            return
        preview = data.prepare_import([(f.name, f.getvalue()) for f in files],
                                      default_source=default_source or None, create_areas=create_areas)
        if not preview.ok:
            st.error(f"{preview.summary()}. Pas het bestand aan en upload het opnieuw.")
            st.dataframe(problems_table(preview.problems), hide_index=True, key="import_problems")
            return
        st.info(f"Voorbeeld: {preview.summary()}.")
        for line in preview.agreements:
            st.markdown(f"- {md(line)}")
        parts = [("Nieuw", preview.added, "import_added", "Geen nieuwe rijen."),
                 ("Gewijzigd", preview.changed, "import_changed", "Geen gewijzigde rijen."),
                 ("Ongewijzigd", preview.unchanged, "import_unchanged", "Geen ongewijzigde rijen.")]
        labels = [f"{name} ({fmt.number(len(frame))})" for name, frame, _, _ in parts]
        # Open on the first tab with rows; an empty tab says so in Dutch (Streamlit's empty table says "empty").
        first = next((label for label, (_, frame, _, _) in zip(labels, parts) if len(frame)), labels[0])
        for tab, (_, frame, key, empty) in zip(st.tabs(labels, default=first), parts, strict=True):
            if frame.empty:
                tab.caption(empty)
            else:
                tab.dataframe(data.preview_frame(preview, frame), hide_index=True, key=key)
        confirmed = False
        if preview.questions:
            st.warning(f"{fmt.number(len(preview.questions))} "
                       f"{'cijfer wijkt' if len(preview.questions) == 1 else 'cijfers wijken'} ongebruikelijk veel "
                       "af van het vorige cijfer. Controleer ze; een tikfout of een leeg vakje dat als 0 is gelezen, "
                       "verbetert u in het bestand.")
            st.dataframe(problems_table(preview.questions), hide_index=True, key="import_questions")
            confirmed = st.checkbox("Deze cijfers kloppen: toch opslaan", key=f"import_confirm_{round_}")
        if len(preview.added) + len(preview.changed) == 0:
            st.caption("Niets gewijzigd: deze cijfers staan er al precies zo in.")
        elif st.button("Opslaan", type="primary", key="import_save"):
            try:
                batch = data.apply_import(preview, user=user or "redacteur", confirmed=confirmed)
            except data.ImportRefused as exc:
                st.error(str(exc))
            else:
                flash(f"Opgeslagen als importbatch {batch}: {preview.summary()}." if batch else "Niets gewijzigd.")
                st.session_state["import_round"] = round_ + 1
                st.rerun()

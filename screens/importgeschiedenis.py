"""Importgeschiedenis (editors): every batch with file, checksum, counts, user and time; undo."""

import streamlit as st

from kpi.tables import batches_table
from ui import auth, data
from ui.components import fitted_table, flash, show_flash


def render() -> None:
    auth.require_editor()
    st.title("Importgeschiedenis")
    show_flash()
    batches = data.batches()
    fitted_table(batches_table(batches), "batches", key="batch_table")

    undoable = data.undoable_batches()
    if undoable.empty:
        st.caption("Er is geen import die ongedaan kan worden.")
        return
    st.subheader("Import ongedaan maken")
    files = undoable.set_index("id")["filename"]
    choice = st.selectbox("Batch", undoable["id"].tolist(), key="undo_batch",
                          format_func=lambda i: f"{i}: {files.loc[i]}")
    sure = st.checkbox("Ik weet het zeker: de waarden van vóór deze import komen terug.", key="undo_sure")
    user = auth.name_field("Uw naam", key="undo_user")
    if st.button("Ongedaan maken", disabled=not sure, key="undo_button"):
        try:
            data.undo_import(int(choice), user=user or "redacteur")
        except data.ImportRefused as exc:
            st.error(str(exc))
        else:
            flash(f"Batch {choice} is ongedaan gemaakt.")
            st.rerun()

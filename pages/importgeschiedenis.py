"""Importgeschiedenis (editors): every batch with file, checksum, counts, user and time; undo."""

import streamlit as st

from ui import frame

frame.ensure()

import pandas as pd  # noqa: E402

from kpi import formatting as fmt  # noqa: E402
from kpi import importer  # noqa: E402
from ui import auth, data  # noqa: E402

auth.require_editor()
st.title("Importgeschiedenis")
if msg := st.session_state.pop("undo_flash", None):
    st.success(msg)
batches = data.batches()
st.dataframe(pd.DataFrame({
    "Batch": batches["id"],
    "Soort": batches["kind"],
    "Bestand": batches["filename"],
    "SHA-256": batches["sha256"].str[:16],
    "Rijen": batches["rows_total"],
    "Nieuw": batches["rows_added"],
    "Gewijzigd": batches["rows_changed"],
    "Ongewijzigd": batches["rows_unchanged"],
    "Door": batches["created_by"],
    "Tijd (UTC)": [fmt.timestamp(pd.Timestamp(t)) for t in batches["created_at"]],
    "Ongedaan gemaakt": [fmt.timestamp(pd.Timestamp(t)) if pd.notna(t) else "" for t in batches["undone_at"]],
}), hide_index=True, key="batch_table")

undoable = batches[(batches["kind"].isin(["observaties", "doelen"])) & batches["undone_at"].isna()
                   & (batches["created_by"] != "seed")]
if undoable.empty:
    st.caption("Er is geen import die ongedaan kan worden.")
    st.stop()
st.subheader("Import ongedaan maken")
choice = st.selectbox("Batch", undoable["id"].tolist(), key="undo_batch",
                      format_func=lambda i: f"{i}: {undoable.set_index('id').loc[i, 'filename']}")
sure = st.checkbox("Ik weet het zeker: de waarden van vóór deze import komen terug.", key="undo_sure")
user = st.text_input("Uw naam", max_chars=importer.MAX_USER_LENGTH, key="undo_user")
if st.button("Ongedaan maken", disabled=not sure, key="undo_button"):
    try:
        importer.undo(data.engine(), int(choice), user=user or "redacteur")
    except importer.ImportRefused as exc:
        st.error(str(exc))
    else:
        data.clear_after_change()
        st.session_state["undo_flash"] = f"Batch {choice} is ongedaan gemaakt."
        st.rerun()

"""Importgeschiedenis (editors): every batch with file, checksum, counts, user and time; undo."""

import streamlit as st

from kpi import importer
from kpi.tables import batches_table
from ui import auth, data, frame


def render() -> None:
    auth.require_editor()
    st.title("Importgeschiedenis")
    if msg := st.session_state.pop("undo_flash", None):
        st.success(msg)
    batches = data.batches()
    st.dataframe(batches_table(batches), hide_index=True, key="batch_table")

    undoable = batches[importer.undoable(batches)]
    if undoable.empty:
        st.caption("Er is geen import die ongedaan kan worden.")
        return
    st.subheader("Import ongedaan maken")
    files = undoable.set_index("id")["filename"]
    choice = st.selectbox("Batch", undoable["id"].tolist(), key="undo_batch",
                          format_func=lambda i: f"{i}: {files.loc[i]}")
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


if __name__ == "__main__":  # a cold first request can run this file on its own: build the frame
    frame.run()

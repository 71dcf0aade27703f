"""Importgeschiedenis (editors): every batch with file, checksum, counts, user and time; undo."""

import streamlit as st

from kpi.tables import batches_table
from ui import auth, data
from ui.components import flash, show_flash, wrapped_table

# After an undo the form starts empty again (issue 19.5): no batch chosen, not confirmed, so a
# second click can never undo a second import. The values are set, not deleted: only a value set
# through session state makes the browser's widget let go of what it showed.
_UNDO_FORM_RESET = {"undo_batch": None, "undo_sure": False}


def render() -> None:
    auth.require_editor()
    st.title("Importgeschiedenis")
    if st.session_state.pop("undo_done", False):
        st.session_state.update(_UNDO_FORM_RESET)
    show_flash()
    batches = data.batches()
    wrapped_table(batches_table(batches), key="batch_table", name="Importgeschiedenis", labelled=True,
                  numeric=("Batch",))

    undoable = data.undoable_batches()
    if undoable.empty:
        st.caption("Er is geen import die ongedaan kan worden.")
        return
    st.subheader("Import ongedaan maken")
    files = undoable.set_index("id")["filename"]
    choice = st.selectbox("Batch", undoable["id"].tolist(), key="undo_batch", index=None,
                          placeholder="Kies de import die u ongedaan wilt maken",
                          format_func=lambda i: f"{i}: {files.loc[i]}")
    sure = st.checkbox("Ik weet het zeker: de waarden van vóór deze import komen terug.", key="undo_sure")
    user = auth.name_field("Uw naam", key="undo_user")
    if st.button("Ongedaan maken", disabled=not sure or choice is None, key="undo_button"):
        try:
            data.undo_import(int(choice), user=user or "redacteur")
        except data.ImportRefused as exc:
            st.error(str(exc))
        else:
            flash(f"Batch {choice} is ongedaan gemaakt.")
            st.session_state["undo_done"] = True
            st.rerun()

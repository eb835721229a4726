"""The learner's conversations on the Ask page: saved as they happen, the latest reopened on a new visit,
listed in the sidebar to reopen or delete. UI only; rows go through rag.app.history and rag.profile. Not a page.
"""

from __future__ import annotations

import streamlit as st

from app_pages._learner import name, store
from app_pages._shared import t
from rag.app import history
from rag.app.markdown import escape_md


def open_conversation(conversation: int) -> None:
    st.session_state.messages = [history.from_row(row) for row in store().messages(conversation)]
    st.session_state.conversation = conversation


def restore() -> list[dict]:
    """This session's messages; on a new visit (or a reload), the learner's latest conversation."""
    if "messages" not in st.session_state:
        st.session_state.messages = []
        earlier = store().conversations(name())
        if earlier:
            open_conversation(earlier[0]["id"])
    return st.session_state.messages


def save(msg: dict) -> None:
    """Append one message to the current conversation (started with the first question)."""
    if not st.session_state.get("conversation"):
        st.session_state.conversation = store().start_conversation(name(), msg.get("content", "…"))
    role, content, data = history.to_row(msg)
    store().add_message(st.session_state.conversation, role, content, data)


def new_conversation() -> None:
    st.session_state.messages = []
    st.session_state.conversation = None


def delete(conversation: int) -> None:
    store().delete_conversation(name(), conversation)
    if st.session_state.get("conversation") == conversation:
        new_conversation()


def sidebar() -> None:
    """Earlier conversations: open or delete each; start a new one."""
    st.markdown(f"**{t('history')}**")
    st.button(t("new_chat"), key="new-chat", on_click=new_conversation, icon=":material/add:")
    earlier = store().conversations(name())
    if not earlier:
        st.caption(t("no_history"))
    for c in earlier[:20]:
        current = c["id"] == st.session_state.get("conversation")
        left, right = st.columns([5, 1])
        left.button(("▸ " if current else "") + escape_md(c["title"][:48]), key=f"open-{c['id']}", on_click=open_conversation,
                    args=(c["id"],), help=f"{c['updated_at']} · {c['messages']}", width="stretch")
        right.button("✕", key=f"delete-{c['id']}", on_click=delete, args=(c["id"],), help=t("delete"))

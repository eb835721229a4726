"""Streamlit UI for the mentor (placeholder): all logic lives in the `rag` package.

Until the app issue lands this page only searches the index; run `make run` first.
"""

import streamlit as st

st.set_page_config(page_title="mentor", page_icon="🧭")
st.title("mentor")
st.info("The chat app is not built yet. Use `mentor search \"What should I learn after Python?\"` meanwhile.")

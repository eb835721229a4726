"""App helpers: pure functions and stores behind the Streamlit pages (no Streamlit imported here)."""

"""Browser tests: a real Streamlit server driven by Playwright in Debian chromium."""

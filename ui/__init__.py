"""Streamlit edge of Binnenstadmonitor: caching, auth, shared components and the frame."""

"""Binnenstadmonitor domain layer: storage, KPI calculations, charts and exports.

This package never imports streamlit; the dashboard, the CLI, the tests and the report
generator all use it alike.
"""

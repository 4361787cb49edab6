"""What the product hands out whole: the KPI snapshot of ``python -m kam kpis`` and the weekly brief.

May import ``ingest`` and everything below it; never ``streamlit``.
"""

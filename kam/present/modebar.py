"""Plotly's own words on a chart (the buttons of the bar shown over it on hover, the tips it gives) in the run's
language.

Plotly.js writes them in English unless the chart's config names a locale and gives it a dictionary keyed by its
English texts: the ids below are Plotly.js's own (Plotly.js 3.8, as Streamlit 1.67 bundles it), translated by our
catalogs. The config goes with each call of st.plotly_chart, never into a figure: a figure is cached and shared by
every session, whatever its language. No number or date format is given: the charts' ticks and hover text keep the
formats the figures set. Streamlit's own "Fullscreen" button is not Plotly's: Streamlit writes its English in the
browser, out of the config's reach, and the script of Streamlit's own words names it (kam.ui.widgets.page_style).
"""

from __future__ import annotations

from typing import Any

from kam import i18n
from kam.i18n import N_, _

# What the bar and its tips can say over the app's charts (bars, lines, scatters, heatmaps, a pie): the download, the
# zoom and pan modes, the selections (offered where a chart selects by box or lasso), the zoom and reset buttons, the
# tip after a zoom, and what a download says while it is made.
PLOTLY_TEXTS = (
    N_("Download plot as a PNG"),
    N_("Zoom"),
    N_("Pan"),
    N_("Box Select"),
    N_("Lasso Select"),
    N_("Zoom in"),
    N_("Zoom out"),
    N_("Autoscale"),
    N_("Reset axes"),
    N_("Double-click to zoom back out"),
    N_("Preparing image - this may take a few seconds"),
    N_("Image download succeeded"),
    N_("Sorry, there was a problem downloading your image!"),
)


def plotly_config(language: str | None = None) -> dict[str, Any]:
    """Plotly's config of a chart in the language (None: the run's): none in English, Plotly's own; else the
    language's locale, its dictionary from the catalogs."""
    with i18n.speaking(language) as spoken:
        if spoken == i18n.ENGLISH:
            return {}
        return {"locale": spoken, "locales": {spoken: {"dictionary": {text: _(text) for text in PLOTLY_TEXTS}}}}

"""The server's Chromium for chart pictures and PDFs: started once, reused, replaced when gone, closed when idle."""

from __future__ import annotations

import os
import time
from pathlib import Path

import plotly.graph_objects as go
import pytest

from kam.reports import render

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")


def _bars(*heights: int) -> go.Figure:
    return go.Figure(go.Bar(x=["A", "B", "C"][: len(heights)], y=list(heights)), layout={"height": 200})


def _running_pid() -> int:
    return render._chromium(CHROMIUM)._renderer.subprocess.pid


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.fixture(autouse=True)
def _fresh():
    render.close_all()
    render._pictures.clear()
    yield
    render.close_all()


def test_a_second_drawing_uses_the_running_chromium():
    first = render.chart_pngs([_bars(1, 2)], CHROMIUM)
    pid = _running_pid()
    second = render.chart_pngs([_bars(3, 1)], CHROMIUM)
    assert _running_pid() == pid
    assert first[0].startswith(b"\x89PNG") and second[0].startswith(b"\x89PNG")
    assert first != second


def test_a_figure_drawn_before_is_not_drawn_again(monkeypatch):
    drawn = render.chart_pngs([_bars(1, 2), _bars(2, 2)], CHROMIUM)
    asked = []
    original = render._draw

    def counted(figures, *args):
        asked.append(len(figures))
        return original(figures, *args)

    monkeypatch.setattr(render, "_draw", counted)
    again = render.chart_pngs([_bars(2, 2), _bars(5, 1), _bars(1, 2)], CHROMIUM)
    assert asked == [1]
    assert again[0] == drawn[1] and again[2] == drawn[0]


def test_a_chromium_that_ended_is_replaced():
    render.chart_pngs([_bars(1, 2)], CHROMIUM)
    pid = _running_pid()
    os.kill(pid, 9)
    time.sleep(0.5)
    assert render.chart_pngs([_bars(4, 4)], CHROMIUM)[0].startswith(b"\x89PNG")
    assert _running_pid() != pid


def test_an_idle_chromium_closes(monkeypatch):
    monkeypatch.setattr(render, "IDLE_SECONDS", 0.5)
    render.chart_pngs([_bars(1, 2)], CHROMIUM)
    pid = _running_pid()
    time.sleep(3)
    assert not _alive(pid)
    assert render._chromium(CHROMIUM)._renderer is None


def test_the_pdf_is_printed_by_the_running_chromium():
    render.chart_pngs([_bars(1, 2)], CHROMIUM)
    pid = _running_pid()
    pdf = render.print_pdf("<!DOCTYPE html><meta charset=utf-8><style>@page{size:A4}</style><h1>周报</h1>", CHROMIUM)
    assert pdf.startswith(b"%PDF")
    assert _running_pid() == pid


def test_a_picture_has_the_colours_and_the_axis_labels_that_a_page_shows(monkeypatch):
    # Importing Streamlit makes its own template plotly's default: placeholder colours (#000001, …) that its
    # front end fills in, and axes that make no room for their labels.
    import io

    import plotly.express as px
    import plotly.io as pio
    import streamlit  # noqa: F401
    from PIL import Image

    monkeypatch.setattr(pio.templates, "default", "streamlit")
    # Plotly express writes the default template's first colour into the bar.
    tall = px.bar(x=["A"], y=[150_000], height=200).update_layout(margin={"l": 10, "r": 10, "b": 10})
    [png] = render.chart_pngs([tall], CHROMIUM, width=300, scale=1)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    # The bar, in the middle of the picture, in plotly's first colour (#636efa), not near-black.
    assert image.getpixel((170, 120)) == (0x63, 0x6E, 0xFA)
    # The tick labels ("150k" …) are drawn whole in a margin made for them: dark pixels in it, none cut at the
    # picture's left edge.
    inked = [x for x in range(60) if any(sum(image.getpixel((x, y))) < 450 for y in range(200))]
    assert inked and min(inked) > 5
    # The figure itself (a page may be showing it) keeps its template.
    assert tall.layout.template.layout.colorway[0] == tall.data[0].marker.color == "#000001"

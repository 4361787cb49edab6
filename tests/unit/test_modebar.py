"""Plotly's bar over a chart in the reader's language: the config every chart of the app is drawn with."""

from __future__ import annotations

import ast
from pathlib import Path

import streamlit

from kam.present.modebar import PLOTLY_TEXTS, plotly_config

ROOT = Path(__file__).resolve().parents[2]


def test_an_english_chart_keeps_plotlys_own_words():
    assert plotly_config("en") == {}


def test_a_chinese_chart_has_plotlys_words_in_chinese():
    dictionary = {
        "Download plot as a PNG": "下载图片（PNG）",
        "Zoom": "区域缩放",
        "Pan": "平移",
        "Box Select": "矩形选择",
        "Lasso Select": "圈选",
        "Zoom in": "放大",
        "Zoom out": "缩小",
        "Autoscale": "自动缩放",
        "Reset axes": "重置坐标轴",
        "Double-click to zoom back out": "双击还原缩放",
        "Preparing image - this may take a few seconds": "正在生成图片，可能需要几秒钟",
        "Image download succeeded": "图片已下载",
        "Sorry, there was a problem downloading your image!": "抱歉，图片下载失败！",
    }
    assert plotly_config("zh-CN") == {"locale": "zh-CN", "locales": {"zh-CN": {"dictionary": dictionary}}}


def test_each_text_is_one_plotly_writes():
    """Plotly.js looks its texts up by their exact English: one it renamed would be shown in English again."""
    (bundle,) = (Path(streamlit.__file__).parent / "static" / "static" / "js").glob("PlotlyChart*.js")
    code = bundle.read_text(encoding="utf-8")
    assert [text for text in PLOTLY_TEXTS if f"`{text}`" not in code] == []


def _calls(path: Path) -> list[int]:
    """The lines of a file that call something's plotly_chart."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "plotly_chart"
    ]


def test_every_chart_is_drawn_with_the_config():
    """No page nor widget calls st.plotly_chart but kam.ui.widgets.plotly_chart, which gives it the config."""
    files = [ROOT / "app.py", *sorted((ROOT / "pages").rglob("*.py")), *sorted((ROOT / "kam").rglob("*.py"))]
    calls = [(path.relative_to(ROOT).as_posix(), line) for path in files for line in _calls(path)]
    widgets = ROOT / "kam" / "ui" / "widgets.py"
    (function,) = [
        node
        for node in ast.walk(ast.parse(widgets.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef) and node.name == "plotly_chart"
    ]
    assert [(path, function.lineno <= line <= function.end_lineno) for path, line in calls] == [
        ("kam/ui/widgets.py", True)
    ]

"""Pure presentation: Plotly figures, how numbers, money, dates and durations read, safe downloads.

Takes frames and values, returns figures, text and bytes; it never queries. It imports
nothing of ``kam`` but ``config`` and ``vocabulary``.
"""

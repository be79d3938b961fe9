"""Charts of the report as inline SVG, drawn by matplotlib on this machine (Agg backend, no
network, no fonts fetched). Text stays text (`svg.fonttype: none`) and the output carries no
date and a fixed id salt, so the same numbers give the same bytes.

Each function returns the SVG markup; the report puts a text alternative and the data table
beside every chart, so nothing is only in the picture.
"""

from __future__ import annotations

import io
import math
import re
from typing import Any

INK = "#1a1a1a"
PRE = "#5b6770"  # grey: before
POST = "#0b5cad"  # blue: after
FLAG = "#b3261e"


def _setup() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    matplotlib.rcParams.update({
        "svg.fonttype": "none", "svg.hashsalt": "course-evaluate", "font.family": "sans-serif",
        "font.size": 10, "axes.edgecolor": INK, "axes.labelcolor": INK, "xtick.color": INK,
        "ytick.color": INK, "text.color": INK,
    })
    return plt


def _svg(fig: Any) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg"):]  # no XML declaration or doctype inside HTML
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.S)  # RDF boilerplate
    # The page's text alternative describes the chart; screen readers skip the drawing itself.
    return re.sub(r"<svg ", '<svg aria-hidden="true" focusable="false" ', text, count=1)


def change_chart(labels: list[str], pre: list[float], post: list[float]) -> str:
    """Before and after means (share of points) per row, as paired dots joined by a line."""
    plt = _setup()
    n = len(labels)
    fig, ax = plt.subplots(figsize=(7.0, 0.5 * n + 1.2))
    ys = list(range(n))[::-1]
    for y, a, b in zip(ys, pre, post, strict=True):
        ax.plot([a * 100, b * 100], [y, y], color="#9aa5ad", linewidth=2, zorder=1)
    ax.scatter([a * 100 for a in pre], ys, color=PRE, marker="o", s=45, label="Before", zorder=2)
    ax.scatter([b * 100 for b in post], ys, color=POST, marker="D", s=45, label="After", zorder=3)
    ax.set_yticks(ys, labels)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Average score (% of points)")
    ax.grid(axis="x", color="#d0d5d9", linewidth=0.6)
    ax.legend(loc="lower right", frameon=False, ncols=2, bbox_to_anchor=(1, 1))
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def item_map(points: list[tuple[str, float, float | None, bool]]) -> str:
    """Difficulty (p) against discrimination (item-rest r), one labelled dot per question;
    flagged questions are red crosses. Shaded bands mark the flag thresholds."""
    plt = _setup()
    fig, ax = plt.subplots(figsize=(7.0, 4.2))
    ax.axvspan(0, 0.2, color="#f3e3e1", zorder=0)
    ax.axvspan(0.9, 1.0, color="#f3e3e1", zorder=0)
    ax.axhspan(-1, 0, color="#f3e3e1", zorder=0)
    labelled = 0
    for qid, p, r, flagged in sorted(points, key=lambda t: (t[1], t[2] or 0.0)):
        if r is None or math.isnan(p):
            continue
        ax.scatter([p], [r], color=FLAG if flagged else POST, marker="X" if flagged else "o", s=40, zorder=2)
        if flagged:  # alternate above and below, so neighbouring labels do not sit on each other
            ax.annotate(qid, (p, r), textcoords="offset points", xytext=(5, 5 if labelled % 2 == 0 else -11),
                        fontsize=8, color=INK)
            labelled += 1
    rs = [r for _, _, r, _ in points if r is not None]
    ax.set_xlim(0, 1)
    ax.set_ylim(min(-0.3, min(rs, default=0) - 0.05), max(0.8, max(rs, default=0) + 0.05))
    ax.set_xlabel("Difficulty p (share of points scored; right = easier)")
    ax.set_ylabel("Discrimination (item-rest r)")
    ax.axhline(0, color=INK, linewidth=0.8)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def distribution_chart(rows: list[tuple[str, list[float]]], levels: list[str]) -> str:
    """Shares of answers at each level of a rating scale, one stacked bar per row (an item at
    one time it was asked), lowest level on the left."""
    plt = _setup()
    n = len(rows)
    fig, ax = plt.subplots(figsize=(7.0, 0.42 * n + 1.4))
    colours = ["#e3ecf5", "#b4cde6", "#6f9fd0", "#2f6aad", "#0b3f7a", "#062a52", "#03172e"][: len(levels)]
    for y, (_label, shares) in enumerate(rows):
        left = 0.0
        for k, share in enumerate(shares):
            ax.barh(y, share * 100, left=left, height=0.7, color=colours[k % len(colours)], edgecolor="white",
                    label=levels[k] if y == 0 else None)
            left += share * 100
    ax.set_yticks(range(n), [label for label, _ in rows])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("Share of answers (%)")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=min(len(levels), 5), frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)

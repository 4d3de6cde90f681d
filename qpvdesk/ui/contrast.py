"""Contrast of palette colours (WCAG 2 relative luminance): a projector washes colours out, so text roles must
reach 7:1 (WCAG AAA) against the background they are drawn on."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

R = QPalette.ColorRole
# (text role, background role): every pair the style and our delegates draw text with
TEXT_PAIRS = (
    (R.WindowText, R.Window),
    (R.Text, R.Base),
    (R.Text, R.AlternateBase),
    (R.ButtonText, R.Button),
    (R.HighlightedText, R.Highlight),
    (R.ToolTipText, R.ToolTipBase),
    (R.PlaceholderText, R.Base),
    (R.Link, R.Base),
    (R.BrightText, R.Base),
)


def luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def contrast_ratio(first: QColor, second: QColor) -> float:
    """1 (same colour) to 21 (black on white)."""
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def weak_pairs(palette: QPalette, minimum: float = 7.0) -> list[str]:
    """The text/background pairs of `palette` under `minimum`, as « Text sur Base : 3.1 » (empty: all readable)."""
    weak = []
    for text, background in TEXT_PAIRS:
        ratio = contrast_ratio(palette.color(text), palette.color(background))
        if ratio < minimum:
            weak.append(f"{text.name} sur {background.name} : {ratio:.1f}")
    return weak

"""WCAG 2.1 contrast ratio (relative luminance), for the colour unit tests and the browser tests.

(PYTEST_DONT_REWRITE: helpers only.) https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio
"""

from __future__ import annotations

import re

TEXT = 4.5  # normal text (1.4.3)
GRAPHICS = 3.0  # graphical objects needed to understand the content (1.4.11)

NAMED = {"white": "#FFFFFF", "black": "#000000"}
_RGB = re.compile(r"rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+))?\s*\)")


def rgba(colour: str) -> tuple[float, float, float, float]:
    """'#RRGGBB', '#RGB', 'rgb(r, g, b)', 'rgba(r, g, b, a)' or a name as (r, g, b, alpha), 0-255 and 0-1."""
    colour = NAMED.get(colour.strip().lower(), colour.strip())
    if colour.startswith("#"):
        h = colour[1:]
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), 1.0
    if m := _RGB.fullmatch(colour):
        r, g, b, a = m.groups()
        return float(r), float(g), float(b), 1.0 if a is None else float(a)
    raise ValueError(f"not a colour: {colour!r}")


def over(colour: str, background: str) -> tuple[float, float, float]:
    """The colour as seen on an opaque background (alpha composited)."""
    r, g, b, a = rgba(colour)
    br, bg, bb, _ = rgba(background)
    return r * a + br * (1 - a), g * a + bg * (1 - a), b * a + bb * (1 - a)


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG relative luminance of an sRGB colour (0-255 channels)."""
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(colour: str, background: str) -> float:
    """Contrast ratio of `colour` (may be translucent) on the opaque `background`, 1 to 21."""
    fg = luminance(over(colour, background))
    bg = luminance(over(background, "#FFFFFF"))
    hi, lo = max(fg, bg), min(fg, bg)
    return (hi + 0.05) / (lo + 0.05)


def lab(colour: str) -> tuple[float, float, float]:
    """CIELAB (D65) of an opaque sRGB colour."""
    r, g, b = (c / 255 for c in over(colour, "#FFFFFF"))
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29
    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def colour_distance(a: str, b: str) -> float:
    """CIE76 ΔE between two colours: about 2 is just noticeable, above 50 clearly different colours."""
    return sum((p - q) ** 2 for p, q in zip(lab(a), lab(b))) ** 0.5

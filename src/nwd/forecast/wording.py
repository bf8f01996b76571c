"""How the forecast's chances are written for a reader.

A chance is the share of the draws in which something happens, so 998 draws in 1,000 is not
certainty: a chance above 99% is written "over 99%" and one below 1% "under 1%", never "100%" or
"0%" (which a cabinet would read as a promise). In between, whole percentages.
"""

from __future__ import annotations


def chance(probability: float) -> str:
    """0.998 -> "over 99%", 0.5 -> "50%", 0.003 -> "under 1%"."""
    if probability > 0.99:
        return "over 99%"
    if probability < 0.01:
        return "under 1%"
    return f"{min(max(round(probability * 100), 1), 99)}%"


def input_value(value: float, unit: str) -> str:
    """An input of the sensitivity chart at one of its values: 25%, £4,310 a week, 0.78 years, x0.95."""
    if unit == "%":
        return f"{value * 100:.3g}%"
    if unit == "£":
        return f"£{value:,.0f} a week"
    if unit == "years":
        return f"{value:.2g} years"
    return f"×{value:.2f}"

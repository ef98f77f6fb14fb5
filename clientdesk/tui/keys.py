"""Key names as people read them ('plus' -> '+')."""

from __future__ import annotations

NAMES = {
    "plus": "+", "minus": "-", "equals_sign": "=", "greater_than_sign": ">", "less_than_sign": "<",
    "question_mark": "?", "slash": "/", "left_square_bracket": "[", "right_square_bracket": "]",
    "enter": "enter", "escape": "esc", "space": "space", "number_sign": "#",
}


def format_key(key: str) -> str:
    return "/".join(NAMES.get(k, k) for k in key.split(","))

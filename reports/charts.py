"""Bar charts drawn on the server as SVG: no script, nothing from the internet, and the
same picture on the page and in the PDF."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

WIDTH = 480
LABEL_WIDTH = 150
VALUE_WIDTH = 90
ROW_HEIGHT = 30
BAR_HEIGHT = 20
COLUMN_AREA_HEIGHT = 160


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the value as printed
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    horizontal: bool

    @property
    def description(self) -> str:
        return "; ".join(f"{bar.label}: {bar.text}" for bar in self.bars)


def _scale(values: list[Decimal | int]) -> float:
    top = max((float(v) for v in values), default=0.0)
    return top if top > 0 else 1.0


def bar_chart(title: str, items: list[tuple[str, Decimal | int, str]]) -> Chart:
    """Horizontal bars, one per (label, value, printed value)."""
    top = _scale([value for _, value, _ in items])
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, (label, value, text) in enumerate(items):
        y = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        width = max(0.0, float(value)) / top * room
        bars.append(
            Bar(
                label=label,
                text=text,
                x=LABEL_WIDTH,
                y=round(y, 1),
                width=round(width, 1),
                height=BAR_HEIGHT,
                text_x=round(LABEL_WIDTH + width + 6, 1),
                text_y=round(y + BAR_HEIGHT - 5, 1),
                label_x=LABEL_WIDTH - 8,
                label_y=round(y + BAR_HEIGHT - 5, 1),
            )
        )
    return Chart(title, bars, WIDTH, max(ROW_HEIGHT, len(items) * ROW_HEIGHT), True)


def column_chart(title: str, items: list[tuple[str, Decimal | int, str]]) -> Chart:
    """Vertical columns, one per (label, value, printed value): a day by day picture."""
    top = _scale([value for _, value, _ in items])
    count = max(1, len(items))
    slot = WIDTH / count
    width = max(1.0, slot * 0.7)
    bars = []
    for index, (label, value, text) in enumerate(items):
        height = max(0.0, float(value)) / top * COLUMN_AREA_HEIGHT
        x = index * slot + (slot - width) / 2
        bars.append(
            Bar(
                label=label,
                text=text,
                x=round(x, 1),
                y=round(COLUMN_AREA_HEIGHT - height + 16, 1),
                width=round(width, 1),
                height=round(height, 1),
                text_x=round(x + width / 2, 1),
                text_y=round(COLUMN_AREA_HEIGHT - height + 12, 1),
                label_x=round(x + width / 2, 1),
                label_y=COLUMN_AREA_HEIGHT + 32,
            )
        )
    return Chart(title, bars, WIDTH, COLUMN_AREA_HEIGHT + 40, False)

"""A small shop: the sample application pytead's own tests trace."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal


def add(a: int, b: int = 1) -> int:
    """Add two integers."""
    return a + b


def group_by_initial(words: list[str]) -> dict[str, list[str]]:
    """Group words by their first letter."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(word)
    return groups


def delivery_window(ordered: dt.datetime, span: tuple[int, int]) -> tuple[dt.datetime, dt.datetime]:
    """The earliest and latest delivery times, *span* days after the order."""
    return ordered + dt.timedelta(days=span[0]), ordered + dt.timedelta(days=span[1])


def parse_quantity(text: str) -> int:
    """Read a quantity typed by a customer."""
    quantity = int(text)
    if quantity <= 0:
        raise ValueError(f"quantity must be positive, got {quantity}")
    return quantity


@dataclass
class Item:
    """Something the shop sells."""

    sku: str
    price: Decimal


def line_total(item: Item, quantity: int) -> Decimal:
    """The price of *quantity* units of *item*."""
    return item.price * quantity


class Cart:
    """A customer's cart."""

    def __init__(self) -> None:
        self.items: dict[str, int] = {}

    def add(self, sku: str, qty: int = 1) -> int:
        """Add *qty* units of *sku*; return how many of it the cart now holds."""
        if not sku:
            raise ValueError("empty sku")
        self.items[sku] = self.items.get(sku, 0) + qty
        return self.items[sku]


def countdown(n: int) -> Iterator[int]:
    """Count down from *n* to 1."""
    while n > 0:
        yield n
        n -= 1


async def fetch_price(sku: str) -> Decimal:
    """Look a price up (asynchronously, as a real shop would)."""
    await asyncio.sleep(0)
    return Decimal("9.99") if sku == "apple" else Decimal("0.50")

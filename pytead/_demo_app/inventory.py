"""A small warehouse: the application `pytead demo` records, tests and documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Product:
    """Something the warehouse stocks."""

    sku: str
    name: str
    price: Decimal


class OutOfStock(Exception):
    """Raised when an order asks for more than the warehouse holds."""


class Inventory:
    """Stock levels per SKU."""

    def __init__(self) -> None:
        self.stock: dict[str, int] = {}

    def receive(self, sku: str, quantity: int) -> int:
        """Add *quantity* units of *sku*; return the new stock level."""
        self.stock[sku] = self.stock.get(sku, 0) + quantity
        return self.stock[sku]

    def ship(self, sku: str, quantity: int) -> int:
        """Take *quantity* units of *sku* out; return what is left."""
        available = self.stock.get(sku, 0)
        if quantity > available:
            raise OutOfStock(f"{sku}: {quantity} asked, {available} in stock")
        self.stock[sku] = available - quantity
        return self.stock[sku]


def parse_sku(text: str) -> str:
    """Normalise a SKU typed by a person: ``ab-12`` becomes ``AB-0012``."""
    letters, _, digits = text.strip().partition("-")
    if not letters.isalpha() or not digits.isdigit():
        raise ValueError(f"not a SKU: {text!r}")
    return f"{letters.upper()}-{int(digits):04d}"


def order_total(lines: list[tuple[Product, int]], discount_percent: int = 0) -> Decimal:
    """The price of an order, after a percentage discount, rounded to cents."""
    gross = sum((product.price * quantity for product, quantity in lines), Decimal(0))
    net = gross * (100 - discount_percent) / 100
    return net.quantize(Decimal("0.01"))


def restock_plan(stock: dict[str, int], threshold: int) -> dict[str, list[str]]:
    """Which SKUs to reorder: ``empty`` ones first, then those under *threshold*."""
    plan: dict[str, list[str]] = {"empty": [], "low": []}
    for sku, quantity in sorted(stock.items()):
        if quantity == 0:
            plan["empty"].append(sku)
        elif quantity < threshold:
            plan["low"].append(sku)
    return plan


def delivery_date(ordered: dt.date, business_days: int) -> dt.date:
    """The day an order arrives, counting only Monday to Friday."""
    day = ordered
    while business_days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            business_days -= 1
    return day

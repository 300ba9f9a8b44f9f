"""Invoices for a small consultancy: classes, dataclasses, dates, money and errors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum


class Terms(Enum):
    """When an invoice must be paid."""

    ON_RECEIPT = 0
    NET_30 = 30
    NET_60 = 60


class InvoiceError(ValueError):
    """An invoice that cannot be issued as asked."""


@dataclass(frozen=True)
class Line:
    """One billed item."""

    description: str
    hours: Decimal
    rate: Decimal

    @property
    def amount(self) -> Decimal:
        """Hours times rate, rounded to cents."""
        return (self.hours * self.rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Invoice:
    """An invoice being prepared for a client."""

    client: str
    issued: dt.date
    terms: Terms = Terms.NET_30
    lines: list[Line] = field(default_factory=list)

    def add(self, description: str, hours: Decimal, rate: Decimal) -> Decimal:
        """Bill *hours* at *rate*; return the new subtotal."""
        if hours <= 0:
            raise InvoiceError(f"hours must be positive, got {hours}")
        self.lines.append(Line(description, hours, rate))
        return self.subtotal()

    def subtotal(self) -> Decimal:
        """The sum of the lines, before tax."""
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    def due(self) -> dt.date:
        """The payment deadline."""
        return self.issued + dt.timedelta(days=self.terms.value)


def with_tax(amount: Decimal, rate_percent: Decimal) -> Decimal:
    """*amount* plus tax at *rate_percent*, rounded to cents."""
    if rate_percent < 0:
        raise InvoiceError(f"a tax rate cannot be negative: {rate_percent}")
    taxed = amount * (100 + rate_percent) / 100
    return taxed.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def overdue(invoices: list[Invoice], today: dt.date) -> dict[str, list[str]]:
    """Clients with unpaid invoices past their due date, and by how long."""
    late: dict[str, list[str]] = {}
    for invoice in invoices:
        days = (today - invoice.due()).days
        if days > 0:
            late.setdefault(invoice.client, []).append(f"{days} days")
    return late

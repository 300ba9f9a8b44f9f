"""A tiny pricing module: the functions pytead records in the quickstart."""

from __future__ import annotations


def multiply(a: float, b: float) -> float:
    """Multiply two numbers."""
    return a * b


def apply_discount(price: float, percent: int) -> float:
    """Take *percent* off *price*, rounded to cents."""
    if not 0 <= percent <= 100:
        raise ValueError(f"percent must be between 0 and 100, got {percent}")
    return round(price * (100 - percent) / 100, 2)


def split_bill(total: float, people: list[str]) -> dict[str, float]:
    """Share *total* equally between *people*."""
    share = round(total / len(people), 2)
    return dict.fromkeys(people, share)

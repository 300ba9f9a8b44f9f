"""Drive the shop the way a user would; exit with the code given as first argument."""

import asyncio
import datetime as dt
import sys
from decimal import Decimal

from shop import (
    Cart,
    Item,
    add,
    countdown,
    delivery_window,
    fetch_price,
    group_by_initial,
    line_total,
    parse_quantity,
)

print(add(2, 3), add(5), add(2, 3))
print(group_by_initial(["apple", "avocado", "banana"]))
print(delivery_window(dt.datetime(2024, 3, 1, 9, 30, tzinfo=dt.UTC), (2, 5)))
for text in ("3", "0", "x"):
    try:
        print(parse_quantity(text))
    except ValueError as exc:
        print("rejected:", exc)
cart = Cart()
print(cart.add("apple", 2), cart.add("pear"), cart.add("apple"))
try:
    cart.add("")
except ValueError as exc:
    print("rejected:", exc)
print(line_total(Item("apple", Decimal("9.99")), 3))
print(list(countdown(3)))
print(asyncio.run(fetch_price("apple")))
sys.exit(int(sys.argv[1]) if len(sys.argv) > 1 else 0)

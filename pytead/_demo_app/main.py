"""A day at the warehouse: the program whose calls `pytead demo` records."""

import datetime as dt
from decimal import Decimal

from inventory import (
    Inventory,
    OutOfStock,
    Product,
    delivery_date,
    order_total,
    parse_sku,
    restock_plan,
)

pen = Product(parse_sku("pn-7"), "pen", Decimal("1.20"))
pad = Product(parse_sku("PD-12"), "notepad", Decimal("3.50"))
for typo in ("pen", "ab-cd"):
    try:
        parse_sku(typo)
    except ValueError as error:
        print("rejected:", error)

warehouse = Inventory()
warehouse.receive(pen.sku, 40)
warehouse.receive(pad.sku, 5)
print("left after shipping:", warehouse.ship(pen.sku, 12))
try:
    warehouse.ship(pad.sku, 9)
except OutOfStock as error:
    print("out of stock:", error)

print("order:", order_total([(pen, 10), (pad, 2)]))
print("order with discount:", order_total([(pad, 4)], discount_percent=15))
print("restock:", restock_plan(warehouse.stock | {"GL-0001": 0}, threshold=10))
print("arrives:", delivery_date(dt.date(2026, 11, 27), 3))

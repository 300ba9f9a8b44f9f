"""A month of invoicing: the program whose calls pytead records."""

import datetime as dt
from decimal import Decimal

from invoicing import Invoice, InvoiceError, Terms, overdue, with_tax

acme = Invoice("ACME", dt.date(2026, 10, 1))
acme.add("audit", Decimal("12"), Decimal("95.00"))
acme.add("report", Decimal("3.5"), Decimal("80.00"))
try:
    acme.add("coffee", Decimal("0"), Decimal("5.00"))
except InvoiceError as error:
    print("refused:", error)

globex = Invoice("Globex", dt.date(2026, 11, 20), Terms.ON_RECEIPT)
globex.add("training", Decimal("6"), Decimal("120.00"))

print("ACME owes", with_tax(acme.subtotal(), Decimal("20")), "by", acme.due())
print("Globex owes", with_tax(globex.subtotal(), Decimal("5.5")), "by", globex.due())
try:
    with_tax(Decimal("10"), Decimal("-1"))
except InvoiceError as error:
    print("refused:", error)
print("overdue:", overdue([acme, globex], dt.date(2026, 11, 30)))

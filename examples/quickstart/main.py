"""Use the calculator the way a real program would."""

from calc import apply_discount, multiply, split_bill

print(multiply(2, 3))
print(apply_discount(80.0, 25), apply_discount(19.99, 10))
try:
    apply_discount(10.0, 120)
except ValueError as error:
    print("refused:", error)
print(split_bill(90.0, ["ann", "bob", "cy"]))

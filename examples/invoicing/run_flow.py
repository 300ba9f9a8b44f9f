"""Record the invoicing example, generate its tests, run them, and replay a changed module."""

import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import pytead

HERE = Path(__file__).parent


def pytead_command(*args: str, cwd: Path = HERE, expect: int = 0) -> None:
    """Run `pytead ARGS` in *cwd*, showing it; fail unless it exits with *expect*."""
    print(f"\n$ pytead {' '.join(args)}", flush=True)
    done = subprocess.run([sys.executable, "-m", "pytead", *args], cwd=cwd, check=False)
    if done.returncode != expect:
        raise SystemExit(f"pytead {args[0]} exited with {done.returncode}, expected {expect}")


pytead_command("clean")
pytead_command("run", "invoicing", "--", "main.py")
pytead_command("gen-tests", "--parametrize")
print("\n$ python -m pytest tests", flush=True)
subprocess.run(
    [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], cwd=HERE, check=True
)

print("\nAn invoice line as generated tests write it:", pytead.to_source(Decimal("95.00")))

with tempfile.TemporaryDirectory() as folder:
    changed = Path(folder)
    for name in ("invoicing.py", "main.py"):
        shutil.copy(HERE / name, changed / name)
    shutil.copytree(HERE / "call_logs", changed / "call_logs")
    source = (changed / "invoicing.py").read_text()
    (changed / "invoicing.py").write_text(
        source.replace('quantize(Decimal("0.01")', 'quantize(Decimal("0.1")')
    )
    print("\nA copy of invoicing.py now rounds to 10 cents; replaying the recorded calls on it:")
    pytead_command("replay", cwd=changed, expect=1)

"""The README's walkthrough is real: every command in its console blocks runs, in order, and
prints what the README shows (pytest's timings aside)."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from conftest import run

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
_VOLATILE = [(re.compile(r"in [0-9.]+s\b"), "in <time>s")]


def console_session() -> list[tuple[str, str]]:
    """``(command, expected output)`` pairs of every ```console block, in order."""
    blocks = re.findall(r"```console\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    session: list[tuple[str, list[str]]] = []
    for block in blocks:
        for line in block.splitlines():
            if line.startswith("$ "):
                session.append((line[2:], []))
            else:
                session[-1][1].append(line)
    return [(command, "\n".join(output)) for command, output in session]


def normalized(text: str) -> str:
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def test_the_readme_starts_with_the_two_commands() -> None:
    bash_blocks = re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert bash_blocks[0].strip().endswith("pip install -e . && pytead demo")
    assert bash_blocks[1].strip().endswith('pip install -e ".[test]" && python -m pytest -n auto')
    assert bash_blocks[1].strip() in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_walkthrough_runs_and_prints_what_the_readme_shows(tmp_path: Path) -> None:
    session = console_session()
    assert [command for command, _ in session][:2] == [
        "cd examples/quickstart",
        "pytead run calc -- main.py",
    ]
    shutil.copytree(
        ROOT / "examples" / "quickstart",
        tmp_path / "examples" / "quickstart",
        ignore=shutil.ignore_patterns("__pycache__", "call_logs", "conftest.py"),
    )
    script = ["set -e"]
    for number, (command, _) in enumerate(session):
        script += [f"echo '@@ {number}'", f"{command} 2>&1"]
    path = f"{Path(sys.executable).parent}:/usr/bin:/bin"
    done = run(["bash", "-c", "\n".join(script)], cwd=tmp_path, PYTHONUNBUFFERED="1", PATH=path)
    assert done.returncode == 0, done.stdout + done.stderr
    outputs = re.split(r"^@@ \d+\n", done.stdout, flags=re.M)[1:]
    assert len(outputs) == len(session)
    for (command, expected), actual in zip(session, outputs, strict=True):
        assert normalized(actual) == normalized(expected), f"$ {command}"

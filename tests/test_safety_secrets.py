"""Secrets stay out of fixtures, generated tests and documentation; innocent look-alikes stay in."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import run_pytead

from pytead._codec import Encoder, Redactor, Tagged
from pytead._codec.secrets import MARKER
from pytead._config import DEFAULT_REDACT, load_config
from pytead._model import Case, Raised, Returned
from pytead._unreplayable import holds_redacted, left_out_reason

REDACTOR = Redactor(DEFAULT_REDACT)

JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpM"
SHAPED = {
    "url password": ("https://ann:hunter2pw@db.example.com/x", "hunter2pw"),
    "access_token parameter": ("https://api.example.com/?access_token=q1w2e3r4&page=2", "q1w2e3r4"),
    "api_key parameter": ("/search?q=shoes&api_key=k9k9k9k9", "k9k9k9k9"),
    "signature parameter": ("https://s3.example.com/f?X-Amz-Signature=abcd1234ef", "abcd1234ef"),
    "sig parameter": ("https://cdn.example.com/a.png?w=2&sig=9f8e7d6c5b", "9f8e7d6c5b"),
    "form body": ("user=ann&password=s3cretpw", "s3cretpw"),
    "dsn": ("host=db password=pg_pass1 user=app", "pg_pass1"),
    "json body": ('{"user": "ann", "client_secret": "cs-77aa88bb"}', "cs-77aa88bb"),
    "header line": ("GET / HTTP/1.1\nX-Api-Key: abcdef123456\n", "abcdef123456"),
    "bearer": (f"Bearer {JWT}", JWT),
    "bare jwt": (f"token was {JWT}.", JWT),
    "basic": ("Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA=="),
    "openai key": ("key sk-proj-AbCdEfGhIjKlMnOpQrStUv", "sk-proj-AbCdEfGhIjKlMnOpQrStUv"),
    "github token": ("ghp_" + "a1B2" * 9, "ghp_" + "a1B2" * 9),
    "github pat": ("github_pat_" + "x1Y2" * 10, "github_pat_" + "x1Y2" * 10),
    "slack token": ("xoxb-123456789012-abcdefABCDEF", "xoxb-123456789012-abcdefABCDEF"),
    "aws key id": ("id=AKIAIOSFODNN7EXAMPLE;", "AKIAIOSFODNN7EXAMPLE"),
    "private key": ("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE", "MIIEow"),
}  # fmt: skip
INNOCENT = [
    "https://example.com/docs?page=2&sort=name",
    "Bearer tokens are described in RFC 6750",
    "a basic idea",
    "the author and the authority",
    "sk-learn",
    "x = a + b; where id=3",
    "select * from users where name = 'ann'",
    "keyboard monkey",
    "sorted(items, key=len)",
    "HTTPError(code=404, reason='Not Found')",
    '{"key": "name", "code": "fr"}',
]


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("password", True), ("userPassword", True), ("password2", True), ("X-Api-Key", True),
        ("apiKey", True), ("sessionId", True), ("sessionid", True), ("session", True),
        ("pwd", True), ("auth", True), ("basic_auth", True), ("jwt", True), ("bearer", True),
        ("client_secret", True), ("access_token", True), ("Authorization", True),
        ("author", False), ("authority", False), ("authenticated", False), ("tokenizer", False),
        ("tokens", False), ("cwd", False), ("sessions_count", False), ("keyword", False),
    ],
)  # fmt: skip
def test_names_match_a_fragment_by_whole_words(name: str, secret: bool) -> None:
    assert REDACTOR(name) is secret


@pytest.mark.parametrize("shape", sorted(SHAPED))
def test_a_credential_shaped_string_is_redacted_wherever_it_is(shape: str) -> None:
    text, secret = SHAPED[shape]
    encoder = Encoder(redact=REDACTOR)
    node = encoder.encode({"note": [f"seen: {text}"]})
    (item,) = node["note"]  # type: ignore[index]
    assert isinstance(item, Tagged) and item.tag == "redacted"
    assert secret not in item.value and MARKER in item.value
    assert any(secret in removed for removed in encoder.secrets.texts)  # looked for elsewhere


@pytest.mark.parametrize("text", INNOCENT)
def test_innocent_look_alikes_are_kept(text: str) -> None:
    assert Encoder(redact=REDACTOR).encode(text) == text


def test_pattern_redaction_can_be_turned_off(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.pytead]\nredact-patterns = false\n")
    config = load_config(cwd=tmp_path, environ={})
    redactor = Redactor(config.redact, patterns=config.redact_patterns)
    assert Encoder(redact=redactor).encode(SHAPED["bearer"][0]) == SHAPED["bearer"][0]
    assert redactor("password")  # names still count


class Token:
    """A parser's token: an object, not a credential, but one attribute is."""

    def __init__(self) -> None:
        self.kind, self.access_token = "keyword", "zz-9911aa"


def test_an_object_under_a_secret_name_keeps_its_attributes_judged_by_name() -> None:
    encoder = Encoder(redact=REDACTOR)
    node = encoder.encode_named("token", Token())
    state = node.value["state"]  # type: ignore[union-attr]
    assert state == {"kind": "keyword", "access_token": Tagged("redacted", "")}
    assert encoder.encode_named("token", "zz-9911aa") == Tagged("redacted", "")
    assert encoder.encode_named("password", None) is None  # nothing to hide


def test_a_case_whose_outcome_was_scrubbed_is_left_out_and_never_shown() -> None:
    clean = "bad password '<redacted>'"
    raised = Raised("builtins.ValueError", clean, [Tagged("redacted", clean)])
    scrubbed = Case("c1", {"user": "ann"}, raised)
    returned = Case("c2", {"n": 1}, Returned(Tagged("redacted", "Bearer <redacted>")))
    plain = Case("c3", {"n": 1}, Returned("Bearer tokens"))
    assert holds_redacted(scrubbed) and holds_redacted(returned) and not holds_redacted(plain)
    assert "secret was redacted" in (left_out_reason(returned) or "")
    assert left_out_reason(plain) is None  # fmt: skip


VAULT = '''
import pytead


@pytead.trace
def login(user, password):
    """Log a user in."""
    raise ValueError(f"bad password {password!r} for {user}")


@pytead.trace
def lookup(password):
    """Find a password."""
    return {"k": 1}[password]


@pytead.trace
def fetch(url):
    """Fetch a URL."""
    return "fetched " + url


@pytead.trace
def header(kind, value):
    """Build a header value."""
    return kind + " " + value


@pytead.trace
def connect(host):
    """The address of the database on a host."""
    return "postgres://app:pw-" + host + "@" + host + "/main"


@pytead.trace
def echo(text):
    """Return the text."""
    return text


@pytead.trace
def settings(**options):
    """Count the options."""
    return sorted(options)


@pytead.trace
def innocent(author, authority, tokenizer):
    """Join the names."""
    return "-".join([author, authority, tokenizer])


@pytead.trace
def size(data):
    """How long the data is."""
    return len(data)
'''

MAIN = f"""
import vault

for attempt in (lambda: vault.login("ann", "s3cretPW1"), lambda: vault.lookup("pinpin42")):
    try:
        attempt()
    except (ValueError, KeyError):
        pass
vault.fetch({SHAPED["url password"][0] + "?access_token=q1w2e3r4"!r})
vault.header("Bearer", {JWT!r})
vault.connect("db7.local")
for text in {[SHAPED[k][0] for k in ("openai key", "github token", "aws key id")]!r}:
    vault.echo(text)
vault.settings(pwd="pw-998877", sessionid="sid-665544", user="ann")
vault.innocent("ann", "registry", "words")
vault.size(b"x" * 3_000_000)
"""
SECRETS = ["pw-db7.local", "s3cretPW1", "pinpin42", "hunter2pw", "q1w2e3r4", JWT]
SECRETS += ["pw-998877", "sid-665544"]
SECRETS += [SHAPED[k][1] for k in ("openai key", "github token", "aws key id")]


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A traced program handling secrets, then gen-tests and enrich-docs on what it recorded."""
    root = tmp_path_factory.mktemp("vault")
    (root / "vault.py").write_text(textwrap.dedent(VAULT))
    (root / "main.py").write_text(MAIN)
    recorded = run_pytead("run", "vault", "--", "main.py", cwd=root)
    assert recorded.returncode == 0, recorded.stderr
    generated = run_pytead("gen-tests", cwd=root)
    assert generated.returncode == 0, generated.stderr
    (root / "gen-tests.log").write_text(generated.stderr)
    docs = run_pytead("enrich-docs", "--pages", "pages", "--llms-txt", "llms.txt", cwd=root)
    assert docs.returncode == 0, docs.stderr
    return root


def _written(root: Path) -> dict[str, str]:
    files = [*root.glob("call_logs/**/*.yaml"), *root.glob("tests/**/*.py"), root / "vault.py"]
    files += [*root.glob("pages/**/*"), root / "llms.txt", root / "gen-tests.log"]
    return {str(f.relative_to(root)): f.read_text() for f in files if f.is_file()}


def test_no_secret_reaches_fixtures_tests_or_docs(vault: Path) -> None:
    written = _written(vault)
    assert any(name.endswith("login.yaml") for name in written)
    leaks = [(name, s) for name, text in written.items() for s in SECRETS if s in text]
    assert leaks == []


def test_scrubbed_cases_say_so_and_are_left_out_of_tests_and_docs(vault: Path) -> None:
    login = (vault / "call_logs/vault/login.yaml").read_text()
    assert "message: bad password '<redacted>' for ann" in login
    lookup = (vault / "call_logs/vault/lookup.yaml").read_text()
    assert "args: [!redacted <redacted>]" in lookup  # KeyError's args, scrubbed
    header = (vault / "call_logs/vault/header.yaml").read_text()
    assert "returned: !redacted Bearer <redacted>" in header
    log = (vault / "gen-tests.log").read_text()
    assert (
        "returned: !redacted postgres://app:<redacted>@db7.local/main"
        in (vault / "call_logs/vault/connect.yaml").read_text()
    )
    assert "vault.connect case" in log and "a secret was redacted from what the call gave" in log
    generated = (vault / "tests/test_pytead_generated.py").read_text()
    assert "def test_header" not in generated and "def test_connect" not in generated
    docs = (vault / "llms.txt").read_text() + (vault / "pages/vault.md").read_text()
    assert '>>> innocent("ann", "registry", "words")' in docs  # the look-alike names are shown
    for shown in ("header", "connect", "echo", "login", "lookup", "settings", "fetch"):
        assert f">>> {shown}(" not in docs


def test_a_value_over_max_value_bytes_is_kept_opaque_with_its_size(vault: Path) -> None:
    fixture = (vault / "call_logs/vault/size.yaml").read_text()
    assert "3000000 bytes, more than max_value_bytes=1048576" in fixture
    assert len(fixture) < 2_000


def test_a_big_value_made_of_small_items_is_bounded_too() -> None:
    node = Encoder(max_bytes=1000).encode(["abcdefghij"] * 200)
    assert isinstance(node, Tagged) and node.tag == "opaque"
    assert "max_value_bytes=1000" in node.value["why"]  # type: ignore[index]
    assert len(node.value["repr"]) <= 200  # type: ignore[index]
    assert Encoder(max_bytes=1000).encode(["abcdefghij"] * 20) == ["abcdefghij"] * 20

"""Secrets in recorded values: found by the name that holds them, or by their shape in any text.

Two rules decide, both applied while a call is encoded, inside the traced program:

- a *name* (argument, attribute, key) made of the words of a redaction fragment holds a secret:
  its value is written ``!redacted ''`` when it is plain data (text, bytes, a number, a list or
  mapping); an object under such a name is kept, its own attributes judged by their names;
- a *string*, wherever it is, is scanned for credentials by shape: a URL's password, a query or
  form parameter or a JSON key named like a secret, ``Bearer``/``Basic`` credentials, and tokens
  whose format is public (JWTs, ``sk-``, ``ghp_``, ``xoxb-``, AWS key ids, private key blocks).
  Each one is replaced by ``<redacted>`` and the string is written ``!redacted 'the rest'``.

Whatever was hidden is also remembered for the call (`Secrets`), and its text is then replaced
wherever else the case holds it: an exception message echoing a password, a returned token. A
case holding ``!redacted`` anywhere is never asserted or shown as if it were exact.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterable
from typing import Final

#: What replaces a secret inside a text that is otherwise kept.
MARKER: Final = "<redacted>"
#: Shorter texts are not looked for elsewhere: replacing ``"ab"`` everywhere would say nothing.
MIN_SECRET_LENGTH: Final = 4
#: Query parameters that carry signatures or keys without a secret-looking name.
_SIGNED_PARAMETERS: Final = frozenset(
    {"sig", "signature", "key", "code", "x_amz_signature", "x_amz_credential", "x_goog_signature"}
)

_SIGNED_HINTS: Final = frozenset({"sig", "key", "code", "credential"})

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_DIGITS = re.compile(r"(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])")
_SEPARATORS = re.compile(r"[^A-Za-z0-9]+")

_URL_PASSWORD = re.compile(
    r"(?<![A-Za-z0-9+.\-])(?P<keep>[A-Za-z][A-Za-z0-9+.\-]*://[^\s:/?#@]*:)[^\s/?#@]+(?=@)"
)
_ASSIGNMENT = re.compile(
    r"(?<![A-Za-z0-9_.\-])(?P<name>[A-Za-z_][A-Za-z0-9_.\-]*)=(?P<q>[\"']?)"
    r"(?P<value>[^&#\s\"';,]+)(?P=q)"
)
_QUOTED_KEY = re.compile(
    r"(?P<q>[\"'])(?P<name>[A-Za-z_][A-Za-z0-9_.\-]*)(?P=q)\s*:\s*"
    r"(?P<q2>[\"'])(?P<value>(?:\\.|(?!(?P=q2))[^\\\n])+)(?P=q2)"
)
_HEADER = re.compile(r"(?m)^(?P<name>[A-Za-z][A-Za-z0-9\-]*):[ \t]*(?P<value>\S[^\r\n]*)")
_BEARER = re.compile(r"(?i:\bbearer)\s+(?P<value>[A-Za-z0-9\-._~+/]+=*)")
_BASIC = re.compile(r"(?i:\bbasic)\s+(?P<value>[A-Za-z0-9+/]{4,}={0,2})(?![A-Za-z0-9+/=])")
_TOKEN_SHAPES = re.compile(
    "|".join(
        (
            r"\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*",  # a JWT
            r"(?<![A-Za-z0-9])sk-[A-Za-z0-9_\-]{20,}",  # OpenAI, Anthropic
            r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}",  # GitHub
            r"\bgithub_pat_[A-Za-z0-9_]{30,}",
            r"\bxox[abposr]-[A-Za-z0-9\-]{10,}",  # Slack
            r"(?<![A-Z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Z0-9])",  # AWS access key id
            r"\bAIza[0-9A-Za-z_\-]{35}",  # Google API key
            r"\b[sr]k_(?:live|test)_[0-9A-Za-z]{16,}",  # Stripe
            r"-----BEGIN [A-Z ]*PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----"
            r"|[\s\S]*)",
        )
    )
)


def _may_hold_token(text: str) -> bool:
    """Cheap first look for `_TOKEN_SHAPES`: each shape starts with one of these."""
    return (
        "eyJ" in text or "sk-" in text or "k_live_" in text or "k_test_" in text
        or ("gh" in text and "_" in text) or "github_pat_" in text or "xox" in text
        or "AKIA" in text or "ASIA" in text or "AIza" in text or "PRIVATE KEY" in text
    )  # fmt: skip


def name_words(name: str) -> str:
    """A name as its lowercase words between underscores, for matching whole words.

    Examples:
        >>> name_words("X-Api-Key"), name_words("sessionId"), name_words("password2")
        ('_x_api_key_', '_session_id_', '_password_2_')
    """
    spaced = _DIGITS.sub("_", _CAMEL.sub("_", name))
    return "_" + "_".join(part for part in _SEPARATORS.split(spaced.lower()) if part) + "_"


class Redactor:
    """Decide which names hold secrets, and remove credentials from text.

    A name matches when the words of a fragment appear, whole and in order, among the name's
    words (split on ``_``, ``-``, camelCase and digits): ``access_token``, ``apiKey`` and
    ``X-Api-Key`` match, ``tokenizer``, ``author`` and ``authority`` do not.

    Attributes:
        fragments: The fragments, each as its words between underscores.
        patterns: Whether strings are also scanned for credentials by their shape.
    """

    def __init__(self, fragments: Iterable[str], *, patterns: bool = True) -> None:
        self.fragments = tuple(sorted({name_words(f) for f in fragments if name_words(f) != "__"}))
        self.patterns = patterns
        self._cache: dict[str, bool] = {}
        #: A secret-named parameter's name holds one of these (any spelling: ``api_key``,
        #: ``apiKey``, ``API-KEY`` all hold ``api``).
        firsts = {f.strip("_").split("_")[0] for f in self.fragments} | _SIGNED_HINTS
        self._name_hints = tuple(sorted(w for w in firsts if not any(o in w for o in firsts - {w})))

    def __call__(self, name: str) -> bool:
        hit = self._cache.get(name)
        if hit is None:
            hit = self._matches(name)
            if len(self._cache) < 10_000:  # names are few; keys of user data may not be
                self._cache[name] = hit
        return hit

    def _matches(self, name: str) -> bool:
        words = name_words(name)
        return any(fragment in words for fragment in self.fragments)

    def scrub(self, text: str, found: list[str] | None = None) -> str | None:
        """*text* with every credential replaced by `MARKER`, or ``None`` when it holds none.

        Args:
            text: Any recorded string.
            found: Where to add the texts removed, so they can be looked for elsewhere.
        """
        if not self.patterns:
            return None
        removed: list[str] = [] if found is None else found
        before = len(removed)
        # Each scan runs only when the text has the character or word it needs: most recorded
        # strings have none, and then cost a few substring tests.
        clean = text
        if "://" in clean and "@" in clean:
            clean = _replace_groups(_URL_PASSWORD, clean, lambda m: m.end("keep"), removed)
        if ("=" in clean or ":" in clean) and self._may_name_a_secret(clean):
            clean = self._named_values(clean, removed)
        if "earer" in clean or "EARER" in clean:
            clean = _replace_values(_BEARER, clean, _bearer_like, removed)
        if "asic" in clean or "ASIC" in clean:
            clean = _replace_values(_BASIC, clean, _basic_credentials, removed)
        if _may_hold_token(clean):
            clean = _TOKEN_SHAPES.sub(lambda m: _removed(m.group(), removed), clean)
        return clean if len(removed) > before else None

    def _may_name_a_secret(self, text: str) -> bool:
        lowered = text.lower()
        for hint in self._name_hints:  # noqa: SIM110 - a plain loop is the cheapest test here
            if hint in lowered:
                return True
        return False

    def _named_values(self, text: str, removed: list[str]) -> str:
        def secret_name(match: re.Match[str]) -> bool:
            name = match.group("name")
            if self(name):
                return True
            return name_words(name).strip("_") in _SIGNED_PARAMETERS and _in_query(match)

        if "=" in text:
            text = _replace_values(_ASSIGNMENT, text, secret_name, removed)
        if ":" in text:
            text = _replace_values(_QUOTED_KEY, text, secret_name, removed)
            text = _replace_values(_HEADER, text, secret_name, removed)
        return text


def _in_query(match: re.Match[str]) -> bool:
    """Whether the match is a URL query parameter (``?sig=``, ``&key=``).

    Names such as ``key`` and ``code`` hold signatures only there: ``sorted(key=len)`` or
    ``Error(code=404)`` in a repr are data, and redacting them would change what is recorded.
    """
    start = match.start()
    return start > 0 and match.string[start - 1] in "?&"


def _removed(secret: str, removed: list[str]) -> str:
    removed.append(secret)
    return MARKER


def _replace_groups(
    pattern: re.Pattern[str],
    text: str,
    start_of: Callable[[re.Match[str]], int],
    removed: list[str],
) -> str:
    """Replace what each match holds after *start_of* (relative to the text) with the marker."""

    def replace(match: re.Match[str]) -> str:
        cut = start_of(match) - match.start()
        return match.group()[:cut] + _removed(match.group()[cut:], removed)

    return pattern.sub(replace, text)


def _replace_values(
    pattern: re.Pattern[str],
    text: str,
    is_secret: Callable[[re.Match[str]], bool],
    removed: list[str],
) -> str:
    """Replace the ``value`` group of the matches *is_secret* accepts with the marker."""

    def replace(match: re.Match[str]) -> str:
        value = match.group("value")
        if value == MARKER or not is_secret(match):
            return match.group()
        start, end = match.span("value")
        whole = match.group()
        offset = match.start()
        return whole[: start - offset] + _removed(value, removed) + whole[end - offset :]

    return pattern.sub(replace, text)


def _bearer_like(match: re.Match[str]) -> bool:
    """A bearer token, not the word: long enough and not only letters (``Bearer tokens are``)."""
    value = match.group("value")
    return len(value) >= 8 and not value.isalpha()


def _basic_credentials(match: re.Match[str]) -> bool:
    """``Basic`` followed by base64 of ``user:password``, not by an ordinary word."""
    value = match.group("value")
    try:
        decoded = base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    return b":" in decoded


class Secrets:
    """The texts hidden while one call was recorded, to remove wherever else the case has them."""

    def __init__(self) -> None:
        self.texts: set[str] = set()

    def __bool__(self) -> bool:
        return bool(self.texts)

    def add(self, value: object) -> None:
        """Remember the text of a value hidden by name (strings, bytes, numbers, inside lists)."""
        for text in _texts_of(value, depth=3):
            if len(text) >= MIN_SECRET_LENGTH:
                self.texts.add(text)

    def add_texts(self, texts: Iterable[str]) -> None:
        """Remember texts removed from strings by their shape."""
        self.texts.update(t for t in texts if len(t) >= MIN_SECRET_LENGTH and t != MARKER)

    def replace(self, text: str) -> str | None:
        """*text* without any remembered secret, or ``None`` when it holds none."""
        found = [secret for secret in self.texts if secret in text]
        if not found:
            return None
        for secret in sorted(found, key=len, reverse=True):  # a longer secret first, whole
            text = text.replace(secret, MARKER)
        return text


def _texts_of(value: object, depth: int) -> list[str]:
    kind = type(value)
    if isinstance(value, str):
        return [value]
    if isinstance(value, (bytes, bytearray)):
        raw = bytes(value)
        return [raw.decode("utf-8", "replace"), repr(raw)[2:-1]]
    if kind in (int, float):
        return [str(value)]
    if depth <= 0:
        return []
    if kind is dict:
        items: Iterable[object] = value.values()  # type: ignore[attr-defined]
    elif kind in (list, tuple, set, frozenset):
        items = value  # type: ignore[assignment]
    else:
        return []
    return [text for item in items for text in _texts_of(item, depth - 1)]


#: Types hidden whole when their name says they hold a secret; objects are judged attribute by
#: attribute instead (a parser's ``token`` argument is a token object, not a credential).
PLAIN_DATA: Final = frozenset(
    {str, bytes, bytearray, int, float, list, tuple, dict, set, frozenset}
)

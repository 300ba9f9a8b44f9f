"""textkit's own tests: running them under `pytead run` records the calls its docs show."""

import pytest
import textkit


def test_slugify() -> None:
    assert textkit.slugify("Hello, World!") == "hello-world"
    assert textkit.slugify("Crème brûlée", separator="_") == "creme_brulee"
    with pytest.raises(ValueError, match="nothing to make a slug of"):
        textkit.slugify("?!")


def test_word_count() -> None:
    assert textkit.word_count("the cat and the hat", top=1) == [("the", 2)]


def test_truncate() -> None:
    assert textkit.truncate("short", 10) == "short"
    assert textkit.truncate("a rather long sentence", 12) == "a rather..."


def test_initials_and_wrap() -> None:
    assert textkit.initials("ada lovelace") == "AL"
    assert textkit.wrap("the quick brown fox jumps over", width=10) == [
        "the quick",
        "brown fox",
        "jumps over",
    ]

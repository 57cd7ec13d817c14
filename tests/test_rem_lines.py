"""The .rem is decoded a piece at a time: the lines must be the file's physical lines.

A line ends at LF, CRLF or CR and nowhere else: a form feed, a vertical tab or any
other character `str.splitlines` would break at stays inside its line (docs/planillas.md).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ayni.payroll import rem

SAMPLES = [
    "01|10000001|2001|3612.60|3612.60|\r\n01|10000001|0702||36.13\r\n",
    "\ufeff01|10000001|2001|1|1|\n\n  \n01|10000002|2001|2|2",
    "HUAMÁN|Ñ|€\r\nsolo CR\rfin",
    "",
    "\n\n\n",
    "a\fb\n\x0b\nc\x1cd\x1d\x1e\r\n\x85e\u2028f\u2029\n",
]


def physical(text: str) -> list[str]:
    """The reference: split at LF, CRLF, CR; an ending line end makes no extra line."""
    if not text:
        return []
    lines = re.split(r"\r\n|\r|\n", text)
    return lines[:-1] if lines[-1] == "" else lines


@pytest.mark.parametrize("text", SAMPLES)
@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
@pytest.mark.parametrize("chunk", [1, 3, 7, 1 << 20])
def test_lines_are_the_physical_lines(monkeypatch, text, encoding, chunk):
    if encoding == "cp1252":
        text = text.replace("\ufeff", "").replace("\u2028", "").replace("\u2029", "")
        text = text.replace("\x85", "")
    data = text.encode(encoding)
    monkeypatch.setattr(rem, "CHUNK", chunk)
    assert list(rem.text_lines(data)) == physical(rem.decode(data))


def test_form_feed_and_vertical_tab_do_not_end_a_line():
    data = b"uno\x0c\ndos\x0b\x0btres\r\ncuatro"
    assert list(rem.text_lines(data)) == ["uno\x0c", "dos\x0b\x0btres", "cuatro"]


@given(st.text(alphabet=st.sampled_from("01|.\r\n ÁñÑ€a\x0b\x0c\x1c\x85\u2028")), st.integers(1, 9))
def test_any_text_any_piece_size(text, chunk):
    data = text.encode("utf-8")
    original = rem.CHUNK
    rem.CHUNK = chunk
    try:
        assert list(rem.text_lines(data)) == physical(rem.decode(data))
    finally:
        rem.CHUNK = original


@pytest.mark.parametrize(
    ("data", "line"),
    [(b"a\nb\r\nc\rd\x81", 4), (b"\x81", 1), (b"a\r\n\r\n\x8d", 3), (b"\x0c\n\x0b\n\x90", 3)],
)
def test_a_byte_outside_both_encodings_is_named_with_its_line(data, line):
    problem = rem.text_problem(data, "rem")
    assert problem is not None and problem.line == line
    assert "no es un carácter válido" in problem.message

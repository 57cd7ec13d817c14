"""The .rem is decoded a piece at a time: the lines must be those of the whole text."""

from __future__ import annotations

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
]


@pytest.mark.parametrize("text", SAMPLES)
@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
@pytest.mark.parametrize("chunk", [1, 3, 7, 1 << 20])
def test_lines_match_the_whole_text(monkeypatch, text, encoding, chunk):
    if encoding == "cp1252":
        text = text.replace("\ufeff", "")
    data = text.encode(encoding)
    monkeypatch.setattr(rem, "CHUNK", chunk)
    assert list(rem.text_lines(data)) == rem.decode(data).splitlines()


@given(st.text(alphabet=st.sampled_from("01|.\r\n ÁñÑ€a")), st.integers(1, 9))
def test_any_text_any_piece_size(text, chunk):
    data = text.encode("utf-8")
    original = rem.CHUNK
    rem.CHUNK = chunk
    try:
        assert list(rem.text_lines(data)) == rem.decode(data).splitlines()
    finally:
        rem.CHUNK = original

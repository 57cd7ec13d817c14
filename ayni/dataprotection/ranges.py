"""HTTP Range (RFC 9110 §14) for one stored file: a broken download resumes.

Only a single byte range is served; a header with several ranges, or one that does not
parse, is ignored and the whole file is sent (RFC 9110 allows it). `If-Range` with an
ETag other than the file's sends the whole file too. A range starting past the end is
answered 416 with `Content-Range: bytes */size`.
"""

from __future__ import annotations

import re

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class Unsatisfiable(Exception):
    pass


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte positions, inclusive, or None for «the whole file»."""
    match = _RANGE.match((header or "").strip())
    if not match:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":  # a suffix: the last N bytes
        length = int(last)
        if length == 0:
            raise Unsatisfiable
        return max(0, size - length), size - 1
    start = int(first)
    if start >= size:
        raise Unsatisfiable
    end = size - 1 if last == "" else min(int(last), size - 1)
    if end < start:
        return None  # invalid: ignored
    return start, end

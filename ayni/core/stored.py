"""Reading a file Ayni keeps in the default storage (a folder, or an S3 bucket)."""

from __future__ import annotations

from django.core.files.storage import default_storage


def read_stored(name: str) -> bytes | None:
    """The stored file's bytes, or None when there is none (no name, or the file is gone:
    the caller makes it again). Opening a missing file fails at once, in a folder as in a
    bucket, so this asks the store once, not «exists?» and then «open»."""
    if not name:
        return None
    try:
        with default_storage.open(name, "rb") as handle:
            return bytes(handle.read())
    except FileNotFoundError:
        return None

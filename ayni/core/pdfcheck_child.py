"""The child process of `ayni.core.pdfcheck`: parses one untrusted PDF under hard limits.

Run as `python -I pdfcheck_child.py CPU_SECONDS MEMORY_BYTES`, the PDF on stdin. It
imports nothing of Ayni or Django (only the standard library and pypdf), lowers its own
CPU and address-space limits before it reads a byte of input, and prints one line of
JSON: `{"ok": true, "pages": n, "active": [...]}` or `{"ok": false, "error": code}`.
A PDF that needs more CPU than allowed is killed by the kernel (SIGXCPU, then SIGKILL);
one that needs more memory fails with MemoryError. The parent treats both as refused.
"""

from __future__ import annotations

import json
import resource
import sys

# PDF names that carry actions a viewer may run. Recorded, not refused: uploaded files
# are always served as inert downloads (see responses.upload_response).
ACTIVE_KEYS = {
    "/JS": "javascript",
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/AA": "additional-actions",
    "/OpenAction": "open-action",
    "/RichMedia": "rich-media",
    "/SubmitForm": "submit-form",
    "/ImportData": "import-data",
    "/GoToR": "remote-goto",
    "/GoToE": "embedded-goto",
    "/EmbeddedFile": "embedded-file",
}
MAX_NODES = 200_000
MAX_DEPTH = 64


def limit(cpu_seconds: int, memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NOFILE, (16, 16))


def active_content(reader: object) -> set[str]:
    """Every action-bearing name reachable from any indirect object, object streams too."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    found: set[str] = set()
    seen = 0

    def walk(obj: object, depth: int) -> None:
        nonlocal seen
        seen += 1
        if seen > MAX_NODES or depth > MAX_DEPTH or isinstance(obj, IndirectObject):
            return
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                if key in ACTIVE_KEYS:
                    found.add(ACTIVE_KEYS[key])
                if key == "/S" and isinstance(value, NameObject) and value in ACTIVE_KEYS:
                    found.add(ACTIVE_KEYS[value])
                walk(value, depth + 1)
        elif isinstance(obj, ArrayObject):
            for item in obj:
                walk(item, depth + 1)

    numbers: set[int] = set(reader.xref_objStm)  # type: ignore[attr-defined]
    for table in reader.xref.values():  # type: ignore[attr-defined]
        numbers.update(table)
    for number in sorted(numbers):
        if seen > MAX_NODES:
            break
        try:
            obj = reader.get_object(number)  # type: ignore[attr-defined]
        except Exception:  # a broken object carries no action  # noqa: S112
            continue
        walk(obj, 0)
    return found


def inspect(data: bytes) -> dict[str, object]:
    import io
    import logging

    logging.disable(logging.CRITICAL)
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except Exception:  # any failure of the parser: a damaged file
        return {"ok": False, "error": "damaged"}
    try:
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    return {"ok": False, "error": "encrypted"}
            except Exception:
                return {"ok": False, "error": "encrypted"}
        root = reader.trailer.get("/Root")
        catalog = root.get_object() if root is not None else None
        if not isinstance(catalog, DictionaryObject):
            return {"ok": False, "error": "no-root"}
        tree = catalog.get("/Pages")
        if not isinstance(tree.get_object() if tree is not None else None, DictionaryObject):
            return {"ok": False, "error": "no-pages"}
        pages = len(reader.pages)
        if pages < 1:
            return {"ok": False, "error": "empty"}
        active = active_content(reader)
    except MemoryError:
        return {"ok": False, "error": "too-complex"}
    except RecursionError:
        return {"ok": False, "error": "too-complex"}
    except Exception:
        return {"ok": False, "error": "damaged"}
    return {"ok": True, "pages": pages, "active": sorted(active)}


def main() -> None:
    cpu_seconds, memory_bytes = int(sys.argv[1]), int(sys.argv[2])
    limit(cpu_seconds, memory_bytes)
    result = inspect(sys.stdin.buffer.read())
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()

"""The SUNAT PLAME income/deduction file (`0601AAAAMM<RUC>.rem`) and the servant master
file: parsing and validation, pure functions over bytes and catalogues.

Real files are messy: UTF-8 or Windows-1252, CRLF or LF, a trailing `|` or not,
integer or decimal amounts, blank lines. Every error is reported with its line
number, in Spanish; a file with any error loads nothing.

Line numbers are the file's physical lines: a line ends at LF, CRLF or CR and
nowhere else. A form feed, vertical tab or any other character that
`str.splitlines` would also break at is part of its line (whitespace there), so
the numbers are those any text editor shows; blank lines count.

A file that is not text (a zip renamed `.rem`, UTF-16, a byte that is neither
UTF-8 nor Windows-1252) is refused before any line is read (`text_problem`).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ayni.accounts.validators import ruc_is_valid

AMOUNT_RE = re.compile(r"^\d{1,7}(\.\d{1,2})?$", re.ASCII)
DNI_RE = re.compile(r"^\d{8}$", re.ASCII)
FOREIGN_RE = re.compile(r"^[A-Z0-9]{4,15}$")
FILENAME_RE = re.compile(r"^0601(\d{4})(\d{2})(\d{11})\.rem$", re.IGNORECASE)
DOC_TYPES = {"01": "DNI", "04": "CE", "07": "PASAPORTE"}
AFP_ONLY = {"0601", "0606", "0608", "0609"}
MAX_ERRORS = 1000
CHUNK = 1 << 20
StrOrPromise = str | Promise


@dataclass(frozen=True)
class Concept:
    code: str
    name: str
    kind: str
    allowed_in_rem: bool
    subject_essalud: bool
    subject_onp: bool
    subject_afp: bool


@dataclass(frozen=True)
class LoadError:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        values = {"file": self.file, "line": self.line, "message": self.message}
        if self.line:
            return gettext("%(file)s, línea %(line)s: %(message)s") % values
        return gettext("%(file)s, archivo: %(message)s") % values


@dataclass(slots=True)
class MasterRow:
    doc_type: str
    doc_number: str
    paternal_surname: str
    maternal_surname: str
    given_names: str
    birth_date: str
    position: str
    school_name: str
    school_code: str
    servant_kind: str
    level: str
    weekly_hours: str
    labor_regime: str
    pension_code: str
    pension_system: str
    pension_name: str
    cuspp: str
    affiliation_date: str
    bank_account: str
    legend_permanent: str
    legend_monthly: str
    entry_date: str
    end_date: str
    service_time: str
    line: int = 0  # its physical line in the master file

    @property
    def key(self) -> tuple[str, str]:
        return self.doc_type, self.doc_number


@dataclass
class RemResult:
    # (document type, number) → {concept code: amount in cents}
    lines: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    errors: list[LoadError] = field(default_factory=list)
    line_count: int = 0


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (call `text_problem` first)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _is_utf8(data: bytes) -> bool:
    """Whether the bytes are valid UTF-8, checked a piece at a time (no copy of the text)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), CHUNK):
            decoder.decode(view[start : start + CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


# Bytes that Windows-1252 leaves undefined: in a file that is not UTF-8 they mean
# another encoding (or no text at all).
CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")


def line_of(data: bytes, pos: int) -> int:
    """The physical line (LF, CRLF or CR ends one) holding byte `pos`."""
    head = data[:pos]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def text_problem(data: bytes, file: str) -> LoadError | None:
    """Why the bytes are not a text file Ayni reads, or None. Cheap: byte searches."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
        len(data) > 1 and (data[1:2] == b"\x00" or data[0:1] == b"\x00")
    ):
        return LoadError(
            file,
            0,
            gettext(
                "el archivo está en UTF-16 («texto Unicode»); guárdelo como UTF-8 o "
                "Windows-1252 (ANSI) y cárguelo otra vez"
            ),
        )
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        return LoadError(
            file,
            0,
            gettext("el archivo está comprimido (zip u otro); cargue el archivo sin comprimir"),
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        return LoadError(
            file,
            line_of(data, nul),
            gettext("el archivo no es de texto (tiene bytes nulos); cargue el archivo original"),
        )
    if not _is_utf8(data):
        found = [p for p in (data.find(b) for b in CP1252_UNDEFINED) if p >= 0]
        if found:
            pos = min(found)
            return LoadError(
                file,
                line_of(data, pos),
                gettext(
                    "el byte 0x%(byte)s no es un carácter válido en UTF-8 ni en "
                    "Windows-1252; guarde el archivo como UTF-8 y cárguelo otra vez"
                )
                % {"byte": f"{data[pos]:02X}"},
            )
    return None


# Characters `str.splitlines` breaks at besides LF and CR: not line ends in a file.
_OTHER_BREAKS = re.compile(r"[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_LINE_END = re.compile(r"\r\n|\r|\n")


# The same characters as bytes, per encoding (in Windows-1252, 0x85 is «…»): a byte
# search is much cheaper than a regular expression over the decoded text.
_OTHER_BREAK_BYTES = {
    "utf-8": (
        b"\x0b",
        b"\x0c",
        b"\x1c",
        b"\x1d",
        b"\x1e",
        b"\xc2\x85",
        b"\xe2\x80\xa8",
        b"\xe2\x80\xa9",
    ),
    "cp1252": (b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e"),
}


def physical_lines(text: str, *, plain: bool | None = None) -> list[str]:
    """The lines of `text`, ended by LF, CRLF or CR only (no empty line after the last end).
    `plain`: the caller already knows whether any other break character is present."""
    if plain is None:
        plain = _OTHER_BREAKS.search(text) is None
    if plain:
        return text.splitlines()  # the same lines, and the fast path
    lines = _LINE_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def text_lines(data: bytes) -> Iterator[str]:
    """The physical lines of a file (see `physical_lines`), decoded about a megabyte at
    a time, so that a large file is never held twice as text. Call `text_problem` first."""
    encoding = "utf-8" if _is_utf8(data) else "cp1252"
    odd = _OTHER_BREAK_BYTES[encoding]
    bom = encoding == "utf-8" and data.startswith(codecs.BOM_UTF8)
    start = len(codecs.BOM_UTF8) if bom else 0
    while start < len(data):
        # cut just after a newline: no character and no CRLF is ever split
        end = data.find(b"\n", start + CHUNK)
        end = len(data) if end < 0 else end + 1
        piece = data[start:end]
        plain = not any(b in piece for b in odd)
        yield from physical_lines(piece.decode(encoding), plain=plain)
        start = end


def parse_filename(name: str) -> tuple[int, int, str, list[str]]:
    """Year, month and RUC from `0601AAAAMM<RUC>.rem`, with the problems found."""
    match = FILENAME_RE.match(name.strip())
    if not match:
        return (
            0,
            0,
            "",
            [
                gettext(
                    "El nombre del archivo debe ser 0601AAAAMM<RUC>.rem "
                    "(por ejemplo 060120261020131370998.rem)."
                )
            ],
        )
    year, month, ruc = int(match[1]), int(match[2]), match[3]
    problems = []
    if not 1 <= month <= 12:
        problems.append(
            gettext("El mes del nombre del archivo (%(month)s) no es válido.") % {"month": match[2]}
        )
    if not ruc_is_valid(ruc):
        problems.append(
            gettext("El RUC del nombre del archivo (%(ruc)s) no es válido (dígito verificador).")
            % {"ruc": ruc}
        )
    return year, month, ruc, problems


def check_document(doc_type: str, number: str) -> str:
    if doc_type not in DOC_TYPES:
        return gettext("tipo de documento «%(type)s» no válido (01 DNI, 04 CE, 07 pasaporte)") % {
            "type": doc_type
        }
    if doc_type == "01" and not DNI_RE.match(number):
        return gettext("el DNI «%(number)s» debe tener 8 dígitos") % {"number": number}
    if doc_type != "01" and not FOREIGN_RE.match(number):
        return gettext("el documento «%(number)s» debe tener de 4 a 15 letras o dígitos") % {
            "number": number
        }
    return ""


MASTER_COLUMNS = [
    "tipo_doc",
    "num_doc",
    "apellido_paterno",
    "apellido_materno",
    "nombres",
    "fecha_nacimiento",
    "cargo",
    "establecimiento",
    "codigo_modular",
    "tipo_servidor",
    "nivel_escala",
    "jornada_horas",
    "regimen_laboral",
    "regimen_pensionario",
    "cuspp",
    "fecha_afiliacion",
    "cuenta_bancaria",
    "leyenda_permanente",
    "leyenda_mensual",
    "fecha_ingreso",
    "fecha_termino",
    "tiempo_servicio",
]
# Columns whose values repeat across servants (cargo, escuela, régimen, leyendas…): the
# parser keeps one copy of each value. The others are the person's own.
OWN_MASTER = {
    "tipo_doc",
    "num_doc",
    "apellido_paterno",
    "apellido_materno",
    "nombres",
    "fecha_nacimiento",
    "regimen_pensionario",
    "cuspp",
    "fecha_afiliacion",
    "cuenta_bancaria",
}
REPEATED_MASTER = [c for c in MASTER_COLUMNS if c not in OWN_MASTER]
REQUIRED_MASTER = {
    "tipo_doc",
    "num_doc",
    "apellido_paterno",
    "nombres",
    "cargo",
    "regimen_pensionario",
}


# Each date column with its whole sentence (lazy: translated only when a date is wrong).
MASTER_DATES = (
    ("fecha_nacimiento", _("fecha de nacimiento «%(value)s» debe tener el formato AAAA-MM-DD")),
    ("fecha_afiliacion", _("fecha de afiliación «%(value)s» debe tener el formato AAAA-MM-DD")),
    ("fecha_ingreso", _("fecha de ingreso «%(value)s» debe tener el formato AAAA-MM-DD")),
    ("fecha_termino", _("fecha de término «%(value)s» debe tener el formato AAAA-MM-DD")),
)


def _date_or_error(value: str, message: StrOrPromise) -> str:
    if not value:
        return ""
    try:
        date.fromisoformat(value)
    except ValueError:
        return str(message) % {"value": value}
    return ""


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str] | str]]:
    """(first physical line, fields) of each CSV record, or (line, what is wrong).

    `newline=""`: the csv module sees every LF, CRLF and CR itself, and its line
    count is the file's physical lines (a quoted field may span several).
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                problem = gettext(
                    "un campo supera el máximo de %(size)s KiB (¿falta cerrar unas comillas?)"
                ) % {"size": csv.field_size_limit() // 1024}
            else:
                problem = gettext("la fila no es CSV válido (revise las comillas)")
            yield start, problem
            return  # the reader cannot go on reliably after a broken record
        yield start, fields


def parse_master(
    data: bytes, pension_regimes: dict[str, tuple[str, str]]
) -> tuple[dict[tuple[str, str], MasterRow], list[LoadError]]:
    """The servant master CSV (docs/planillas.md). `pension_regimes`: code → (system, name)."""
    refused = text_problem(data, "maestro")
    if refused is not None:
        return {}, [refused]
    errors: list[LoadError] = []
    rows: dict[tuple[str, str], MasterRow] = {}
    text = decode(data)
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    records = _records(text, delimiter)
    header: list[str] = []
    header_line = 1
    for lineno, fields in records:
        if isinstance(fields, str):
            return {}, [LoadError("maestro", lineno, fields)]
        if any(f.strip() for f in fields):
            header, header_line = [h.strip().lower() for h in fields], lineno
            break
    # Only the required columns must be in the header (in any order); an optional
    # column left out is empty for everyone.
    missing = [c for c in MASTER_COLUMNS if c in REQUIRED_MASTER and c not in header]
    if missing:
        return {}, [
            LoadError(
                "maestro",
                header_line,
                gettext("faltan columnas obligatorias en la cabecera: %(columns)s")
                % {"columns": ", ".join(missing)},
            )
        ]
    width = len(header)
    shared: dict[str, str] = {}  # one copy of each repeated value (cargo, escuela, régimen…)
    for lineno, fields in records:
        if isinstance(fields, str):
            errors.append(LoadError("maestro", lineno, fields))
            break
        if not any(f.strip() for f in fields):
            continue  # a blank row (or one of only separators)
        if len(errors) >= MAX_ERRORS:
            continue
        if len(fields) > width and any(f.strip() for f in fields[width:]):
            errors.append(
                LoadError(
                    "maestro",
                    lineno,
                    gettext("la fila tiene %(fields)s columnas y la cabecera %(width)s")
                    % {"fields": len(fields), "width": width},
                )
            )
            continue
        row = {k: v.strip() for k, v in zip(header, fields, strict=False) if k}
        for column in MASTER_COLUMNS:
            row.setdefault(column, "")
        for column in REPEATED_MASTER:
            row[column] = shared.setdefault(row[column], row[column])
        problems = [
            gettext("falta «%(column)s»") % {"column": c}
            for c in sorted(REQUIRED_MASTER)
            if not row.get(c)
        ]
        doc_type = row["tipo_doc"].zfill(2) if row["tipo_doc"] else ""
        number = row["num_doc"].upper()
        if doc_type and number:
            problem = check_document(doc_type, number)
            if problem:
                problems.append(problem)
        pension = row["regimen_pensionario"].zfill(2) if row["regimen_pensionario"] else ""
        if pension and pension not in pension_regimes:
            problems.append(
                gettext("régimen pensionario «%(code)s» no existe en la Tabla 11")
                % {"code": pension}
            )
        system, pension_name = pension_regimes.get(pension, ("", ""))
        if system == "AFP" and not re.fullmatch(r"[A-Z0-9]{12}", row["cuspp"].upper()):
            problems.append(
                gettext("los afiliados a una AFP deben tener un CUSPP de 12 caracteres")
            )
        for column, message in MASTER_DATES:
            problem = _date_or_error(row[column], message)
            if problem:
                problems.append(problem)
        if (doc_type, number) in rows:
            problems.append(
                gettext("el documento %(number)s se repite en el maestro") % {"number": number}
            )
        if problems:
            errors.extend(LoadError("maestro", lineno, p) for p in problems)
            continue
        rows[(doc_type, number)] = MasterRow(
            doc_type=doc_type,
            doc_number=number,
            paternal_surname=row["apellido_paterno"].upper(),
            maternal_surname=row["apellido_materno"].upper(),
            given_names=row["nombres"].upper(),
            birth_date=row["fecha_nacimiento"],
            position=row["cargo"],
            school_name=row["establecimiento"],
            school_code=row["codigo_modular"],
            servant_kind=row["tipo_servidor"],
            level=row["nivel_escala"],
            weekly_hours=row["jornada_horas"],
            labor_regime=row["regimen_laboral"],
            pension_code=pension,
            pension_system=system,
            pension_name=pension_name,
            cuspp=row["cuspp"].upper(),
            affiliation_date=row["fecha_afiliacion"],
            bank_account=row["cuenta_bancaria"],
            legend_permanent=row["leyenda_permanente"],
            legend_monthly=row["leyenda_mensual"],
            entry_date=row["fecha_ingreso"],
            end_date=row["fecha_termino"],
            service_time=row["tiempo_servicio"],
            line=lineno,
        )
    return rows, errors


# The common line, `01|12345678|2001|1234.50|1234.50|`, in one match; anything else takes
# the field-by-field path, which says exactly what is wrong.
AMOUNT = r"(\d{1,7}(?:\.\d{1,2})?)?"
COMMON_LINE = re.compile(rf"(\d\d)\|(\d{{8}})\|(\d{{4}})\|{AMOUNT}\|{AMOUNT}\|?", re.ASCII)


def cents(amount: str) -> int:
    """`1234`, `1234.5` or `1234.50` (already validated) → 123450."""
    if amount[-3:-2] == ".":  # two decimals, the common shape
        return int(amount.replace(".", "", 1))
    whole, _, fraction = amount.partition(".")
    return int(whole) * 100 + int((fraction + "00")[:2])


def _fields(line: str) -> list[str] | str:
    """The five fields of a line that is not the common shape, or what is wrong with it."""
    fields = [f.strip() for f in line.split("|")]
    if fields[-1] == "" and len(fields) == 6:
        fields.pop()
    if len(fields) != 5:
        return gettext("se esperaban 5 campos separados por «|» y hay %(count)s") % {
            "count": len(fields)
        }
    doc_type, number, code, accrued, paid = fields
    doc_type, number = doc_type.zfill(2), number.upper()
    return check_document(doc_type, number) or [doc_type, number, code, accrued, paid]


def parse_rem(
    data: bytes,
    concepts: dict[str, Concept],
    master: dict[tuple[str, str], MasterRow],
    *,
    pensioners: bool = False,
) -> RemResult:
    """Validate every line; group the amounts (in cents) by servant and concept.

    Grouping per servant also finds repeated concepts, without a set of every line.
    `pensioners`: a «cesantes» run, whose payslips carry no AFP contribution.
    """
    result = RemResult()
    errors = result.errors
    refused = text_problem(data, "rem")
    if refused is not None:
        errors.append(refused)
        return result
    groups = result.lines
    common = COMMON_LINE.fullmatch
    count = 0
    for lineno, line in enumerate(text_lines(data), start=1):
        match = common(line)
        if match is not None and match[1] in DOC_TYPES:
            count += 1
            if len(errors) >= MAX_ERRORS:
                continue
            doc_type, number, code, accrued, paid = match.groups()
            bad = ""
        else:
            line = line.strip()
            if not line:
                continue
            count += 1
            if len(errors) >= MAX_ERRORS:
                continue
            fields = _fields(line)
            if isinstance(fields, str):
                errors.append(LoadError("rem", lineno, fields))
                continue
            doc_type, number, code, accrued, paid = fields
            bad = next((v for v in (accrued, paid) if v and not AMOUNT_RE.match(v)), "")
        problem = ""
        concept = concepts.get(code)
        key = (doc_type, number)
        row = master.get(key)
        # Every message below is on the error path only (gettext is never called for a
        # valid line).
        if concept is None:
            problem = gettext("el concepto «%(code)s» no existe en la Tabla 22") % {"code": code}
        elif not concept.allowed_in_rem:
            problem = gettext("el concepto %(code)s (%(name)s) no puede declararse en un .rem") % {
                "code": code,
                "name": concept.name,
            }
        elif bad:
            problem = gettext(
                "monto «%(amount)s» no válido: hasta 7 dígitos y 2 decimales, con punto"
            ) % {"amount": bad}
        elif not paid and not accrued:
            problem = gettext("la línea no tiene monto")
        elif row is None:
            problem = gettext(
                "el servidor con documento %(number)s no está en el archivo maestro"
            ) % {"number": number}
        elif code in AFP_ONLY and pensioners:
            problem = gettext(
                "el concepto %(code)s es un aporte a una AFP y una planilla de cesantes y "
                "pensionistas no lleva aportes a una AFP"
            ) % {"code": code}
        elif code in AFP_ONLY and row.pension_system != "AFP":
            problem = gettext(
                "el concepto %(code)s es solo para afiliados a una AFP y el servidor "
                "%(number)s no lo está"
            ) % {"code": code, "number": number}
        else:
            amounts = groups.get(key)
            if amounts is None:
                groups[key] = amounts = {}
            elif code in amounts:
                problem = gettext("el concepto %(code)s se repite para el servidor %(number)s") % {
                    "code": code,
                    "number": number,
                }
            if not problem:
                amounts[code] = cents(paid or accrued)
                continue
        errors.append(LoadError("rem", lineno, problem))
    result.line_count = count
    return result

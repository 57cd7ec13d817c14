"""Every user-facing string written in Python passes through gettext (issue 11, «Words and
numbers»); the templates have their own test (test_i18n_pseudo.py).

The test reads ayni/**/*.py with `ast` (nothing is imported or run) and looks at every string
constant with at least three words in it. An f-string is read as one sentence (its fixed
parts joined, each placeholder as «{}»), so «f"el DNI «{number}» debe tener 8 dígitos"» is
found even though none of its pieces has three words. A string is fine when it is:

- an argument (however deep) of a gettext-family call (`gettext`, `gettext_lazy` as `_`,
  `ngettext`, `pgettext`, `gettext_noop` as `N_`, `format_lazy`, …);
- a docstring, or any other bare string statement;
- the message of a logger call (`logger.info(...)`) or of an `assert`: for the operator;
- in a file that is not code for users: migrations, management commands, demo and synthetic
  data, samples.

Anything else must be in ALLOWED (file + a piece of the string + why). An allow-list entry
that no longer matches anything fails too, so the list stays short and true.

A second check: a gettext-family call must be given a literal, never an f-string, a `%`
or a `.format()`: the translator would see only the pieces, or nothing (makemessages
cannot read them).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ayni"

GETTEXT_CALLS = {
    "_",
    "N_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
    "format_lazy",
}
LOGGER_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}
LOGGER_NAMES = {"logger", "log", "logging"}
SKIPPED_DIRS = {"migrations", "management"}
# file names starting with these; rules_data: the legal citations loaded as catalogue rows
SKIPPED_FILES = ("demo", "synthetic", "samples", "rules_data")
# Folders to leave out while another change writes them (none now: every app is swept).
SWEEP_LATER: set[str] = set()

WORD = re.compile(r"[^\W\d_]+")
PUNCTUATION = "«»“”\"'()¿?¡!.,;:…-–—/[]"


@dataclass(frozen=True)
class Allowed:
    file: str  # relative to ayni/
    piece: str  # a substring of the string (of the f-string read with «{}» placeholders)
    reason: str


ALLOWED: list[Allowed] = [
    # Start-up errors and programming errors: read by an operator or a developer, in English.
    Allowed("settings.py", " must be a boolean ", "start-up error for the operator"),
    Allowed("settings.py", " must be an integer, got ", "start-up error for the operator"),
    Allowed("settings.py", "SECRET_KEY is required", "start-up error for the operator"),
    Allowed("settings.py", "SITE_URL is required", "start-up error for the operator"),
    Allowed("settings.py", "SITE_URL must start with", "start-up error for the operator"),
    Allowed("core/states.py", "Gate.move must run inside", "programming error"),
    Allowed("core/audit.py", "is not registered (see core.audit_actions)", "programming error"),
    Allowed("core/audit_actions.py", "registered twice, differently", "programming error"),
    Allowed("core/fields.py", "A list of integer ids", "model field description (developers)"),
    Allowed("personnel/service_time.py", "period ends before it starts", "programming error"),
    # Not words for people: SQL, HTTP headers, lists of names, another library's message.
    Allowed("core/fields.py", "EXISTS (SELECT 1 FROM json_each", "SQL"),
    Allowed("core/partitions.py", "SELECT ", "SQL"),
    Allowed("core/partitions.py", "TABLE ", "SQL"),
    Allowed("core/partitions.py", "CREATE SEQUENCE ", "SQL"),
    Allowed("core/partitions.py", "RANGE (year, month)", "SQL"),
    Allowed("core/partitions.py", "(year, month) >= {} AND", "SQL"),
    Allowed("core/dbrouter.py", "SELECT pg_is_in_recovery()", "SQL"),
    Allowed("core/rowread.py", "SELECT {} FROM {} WHERE {} = %s", "SQL"),
    Allowed("core/rowwrite.py", "INSERT INTO {} ({}) VALUES", "SQL"),
    Allowed("core/throttle.py", 'SELECT "key", CASE WHEN', "SQL"),
    Allowed("payroll/selectors.py", "FROM {payslip} p JOIN {servant}", "SQL"),
    Allowed("payroll/selectors.py", "ORDER BY p.year DESC", "SQL"),
    Allowed("payroll/selectors.py", "JOIN {run} r ON r.id", "SQL"),
    Allowed("payroll/selectors.py", "SELECT {} {} AND ", "SQL"),
    Allowed("accounts/permissions.py", "SELECT g.role, u.path FROM", "SQL"),
    Allowed("core/notifications.py", "SELECT COUNT(*) FROM {notification}", "SQL"),
    Allowed("identity/twofactor.py", "SELECT EXISTS (SELECT 1 FROM {totp}", "SQL"),
    Allowed("payroll/writer.py", "COPY {} ({}) FROM STDIN", "SQL"),
    Allowed("payroll/writer.py", "VACUUM (ANALYZE, INDEX_CLEANUP OFF)", "SQL"),
    Allowed("core/middleware.py", "default-src 'self'", "Content-Security-Policy header"),
    Allowed("core/responses.py", "sandbox; default-src 'none'", "Content-Security-Policy header"),
    Allowed("core/responses.py", "pdf html htm xhtml", "a list of file extensions"),
    Allowed("payroll/rem.py", "field larger than field limit", "the csv module's own error"),
    # Stored as data and shown as recorded (the audit trail, the public verification
    # record, the catalogues): a later translation must not rewrite what was written.
    Allowed("accounts/services.py", "cuenta y dirección", "audit detail (auth.lockout)"),
    Allowed("accounts/services.py", "con el enlace de ingreso enviado", "audit detail"),
    Allowed("accounts/services.py", "Aviso de privacidad, Ley 29733", "audit detail"),
    Allowed("desk/recovery.py", "recuperación de acceso", "audit detail"),
    Allowed("payroll/views.py", "Planilla de {} de {} de {}", "audit detail (who saw my file)"),
    Allowed("personnel/views/review.py", "Solicitud de modificación", "audit detail (what=)"),
    Allowed("personnel/views/servants.py", "Historial del legajo", "audit detail (what=)"),
    Allowed("reports/views.py", "Revisión para informe escalafonario", "audit detail (what=)"),
    Allowed("payroll/services.py", "Boleta de pago", "VerificationRecord summary (stored)"),
    Allowed("payroll/services.py", "Documento de identidad", "VerificationRecord summary"),
    Allowed("payroll/services.py", "Neto a pagar", "VerificationRecord summary (stored)"),
    Allowed("reports/services.py", "Hoja de vida", "VerificationRecord summary (stored)"),
    Allowed("reports/services.py", "Tiempo de servicios", "VerificationRecord summary (stored)"),
    Allowed("org/loaders.py", "MINISTERIO DE EDUCACIÓN", "org unit name loaded into the tree"),
    Allowed("benefits/services.py", "Constancia de pagos", "VerificationRecord summary (stored)"),
    Allowed("benefits/services.py", "Meses con pagos", "VerificationRecord summary (stored)"),
    Allowed("org/loaders.py", "Carné de extranjería", "DocumentType catalogue row"),
    #
    # ---- pending: owned by another change (being edited now; the lead sweeps them) ----
    Allowed("core/verification.py", "A document cannot supersede itself", "pending"),
    Allowed("desk/receipts.py", "Cargo de recepción", "pending"),
    Allowed("accounts/permissions.py", "No puede actuar como personal", "pending"),
    Allowed(
        "accounts/models.py",
        "Acceso al sitio de administración",
        "help text of the admin-only flag (changing it is a migration of the user table)",
    ),
    Allowed("core/signing/__init__.py", "Documento emitido a través de Ayni", "pending"),
    Allowed("core/signing/__init__.py", "Ningún certificado vigente para", "pending"),
    Allowed("core/signing/keys.py", "firma, clave {} (unidad {})", "pending"),
    Allowed("core/signing/keys.py", "(la variable con la clave)", "pending"),
    Allowed("core/signing/keys.py", "la variable de entorno {} no está definida", "pending"),
    Allowed("core/signing/keys.py", "falta «unit», el código de la unidad", "pending"),
    Allowed("core/signing/keys.py", "no se puede leer {}: {}", "pending"),
    Allowed("core/signing/keys.py", "(¿clave incorrecta o archivo dañado?)", "pending"),
    Allowed("core/signing/keys.py", "falta el soporte PKCS#11", "pending"),
    Allowed("core/signing/keys.py", "no se pudo abrir el token", "pending"),
    Allowed("core/signing/keys.py", "No se puede leer {}: {}", "pending"),
    Allowed("core/signing/keys.py", "no es TOML válido", "pending"),
    Allowed("core/signing/keys.py", "No se puede leer la raíz", "pending"),
]
# Files and folders another change owns right now: their entries may go stale (wrapped
# meanwhile) without failing the test.
PENDING = (
    "core/verification.py",
    "core/pdfcheck.py",
    "core/pdfcheck_child.py",
    "core/pdf/",
    "core/signing/",
    "desk/receipts.py",
    "accounts/permissions.py",
    "dataprotection/",
)


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"ayni/{self.file}:{self.line}: {self.text[:100]!r}"


def source_files() -> list[Path]:
    files = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if set(parts[:-1]) & (SKIPPED_DIRS | SWEEP_LATER):
            continue
        if path.name.startswith(SKIPPED_FILES):
            continue
        files.append(path)
    return files


def call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def is_logger_call(node: ast.Call) -> bool:
    func = node.func
    if not isinstance(func, ast.Attribute) or func.attr not in LOGGER_METHODS:
        return False
    owner = func.value
    name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
    return name in LOGGER_NAMES or name.endswith("logger")


def text_of(node: ast.Constant | ast.JoinedStr) -> str:
    if isinstance(node, ast.Constant):
        return str(node.value)
    return "".join(str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values)


def word_count(text: str) -> int:
    return sum(1 for token in text.split() if WORD.fullmatch(token.strip(PUNCTUATION)))


def findings_in(path: Path, rel: str = "") -> tuple[list[Finding], list[Finding]]:
    """(strings outside gettext, gettext calls given something other than a literal)."""
    rel = rel or path.relative_to(PACKAGE).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node

    def exempt(node: ast.AST) -> bool:
        parent = parents.get(node)
        if isinstance(parent, ast.Expr):
            return True  # a docstring or another bare string
        while parent is not None:
            if isinstance(parent, ast.Call) and (
                call_name(parent) in GETTEXT_CALLS or is_logger_call(parent)
            ):
                return True
            if isinstance(parent, ast.Assert):
                return True
            parent = parents.get(parent)
        return False

    loose, not_literal = [], []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and call_name(node) in GETTEXT_CALLS - {"format_lazy"}:
            for arg in node.args:
                bad = isinstance(arg, ast.JoinedStr | ast.BinOp) or (
                    isinstance(arg, ast.Call) and call_name(arg) == "format"
                )
                if bad:
                    not_literal.append(Finding(rel, node.lineno, ast.unparse(arg)))
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if isinstance(parents.get(node), ast.JoinedStr):
                continue  # a piece of an f-string: the f-string is read whole
        elif isinstance(node, ast.JoinedStr):
            if isinstance(parents.get(node), ast.FormattedValue):
                continue  # a format spec (`{x:02d}`)
        else:
            continue
        text = text_of(node)
        if word_count(text) >= 3 and not exempt(node):
            loose.append(Finding(rel, node.lineno, text))
    return loose, not_literal


def allowed(finding: Finding) -> Allowed | None:
    for entry in ALLOWED:
        if entry.file == finding.file and entry.piece in finding.text:
            return entry
    return None


def scan() -> tuple[list[Finding], list[Finding]]:
    loose, not_literal = [], []
    for path in source_files():
        found, bad = findings_in(path)
        loose.extend(found)
        not_literal.extend(bad)
    return loose, not_literal


def test_every_user_facing_python_string_passes_through_gettext() -> None:
    loose, _ = scan()
    missing = [str(f) for f in loose if allowed(f) is None]
    assert not missing, (
        "Strings with words outside gettext (wrap them, or add them to ALLOWED with the "
        "reason):\n" + "\n".join(missing)
    )


def test_gettext_is_given_a_literal_sentence() -> None:
    _, not_literal = scan()
    assert not not_literal, (
        "gettext of an f-string, a % or a .format(): translate the literal, then "
        "interpolate: gettext('… %(name)s …') % {'name': value}\n"
        + "\n".join(str(f) for f in not_literal)
    )


def test_every_allowed_entry_still_matches_a_string() -> None:
    loose, _ = scan()
    stale = [
        f"{e.file}: {e.piece!r}"
        for e in ALLOWED
        if not e.file.startswith(PENDING) and not any(allowed(f) is e for f in loose)
    ]
    assert not stale, "ALLOWED entries that match nothing any more:\n" + "\n".join(stale)


def test_the_scanner_reads_fstrings_whole_and_knows_gettext(tmp_path: Path) -> None:
    """The detector itself: what it must find and what it must leave."""
    code = '''
"""A module docstring with many words in it."""
from django.utils.translation import gettext, gettext_lazy as _
LABEL = _("Hoja de vida del servidor")
PLAIN = "Hoja de vida del servidor"
def f(number, n):
    logger.info("the import of run %s failed", number)
    assert number, "the number must be given"
    ok = gettext("el DNI «%(number)s» debe tener 8 dígitos") % {"number": number}
    bad = f"el DNI «{number}» debe tener 8 dígitos"
    worse = gettext(f"el DNI «{number}» debe tener 8 dígitos")
    short = f"{number:02d}/{n}"
    return "btn btn-primary" + "a"
'''
    path = tmp_path / "sample.py"
    path.write_text(code, encoding="utf-8")
    loose, not_literal = findings_in(path, "sample.py")
    assert sorted(f.text for f in loose) == [
        "Hoja de vida del servidor",
        "el DNI «{}» debe tener 8 dígitos",
    ]
    assert [f.line for f in not_literal] == [11]

"""One row by its key, without building the query each time.

Every signed-in request reads its session and its user by key. Django's ORM builds that
SELECT anew on each call (0.5 ms of CPU here, against 0.15 ms for the query itself);
`get_by_key` builds it once per model, column and database, then only runs it. The row
becomes an instance through `Model.from_db` after the same converters the ORM applies
(a UUID or a date from SQLite's text, a JSON field's value), so it is the instance the
ORM would have given. Reads go to the database the router picks for reading, as the
ORM's would.

For fixed reads on every request (and the servant's payment-day pages) only; anything
else uses the ORM.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import connections, models, router

M = TypeVar("M", bound=models.Model)

Converter = Callable[[Any, Any, Any], Any]
Plan = tuple[str, list[str], list[list[tuple[Converter, Any]]]]


@functools.cache
def _plan(model: type[models.Model], column: str, alias: str) -> Plan:
    """The SELECT of `model`'s concrete columns by `column`, the attribute names in
    order, and each column's converters on database `alias` (once per process)."""
    quote = connections[alias].ops.quote_name
    fields = model._meta.concrete_fields
    sql = "SELECT {} FROM {} WHERE {} = %s".format(  # noqa: S608 - names from the model
        ", ".join(quote(str(f.column)) for f in fields),
        quote(model._meta.db_table),
        quote(column),
    )
    names = tuple(f.attname for f in fields)
    return sql, list(names), _converters(model, names, alias)


def get_by_key(model: type[M], value: Any, *, column: str | None = None) -> M | None:
    """The instance of `model` whose `column` (default: the primary key) is `value`,
    or None."""
    alias = read_alias(model)
    sql, names, converters = _plan(model, column or str(model._meta.pk.column), alias)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for i, steps in enumerate(converters):
        for convert, col in steps:
            values[i] = convert(values[i], col, connection)
    return model.from_db(alias, names, values)


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The concrete field `name` (a name or an attname: "run_id") of `model`."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), name
    return field


@functools.cache
def _converters(
    model: type[models.Model], names: tuple[str, ...], alias: str
) -> list[list[tuple[Converter, Any]]]:
    """Each named field's converters on database `alias`, as the ORM applies them."""
    connection = connections[alias]
    table = model._meta.db_table
    steps = []
    for name in names:
        field = _field(model, name)
        col = field.get_col(table)
        found = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
        steps.append([(convert, col) for convert in found])
    return steps


def read_alias(model: type[models.Model]) -> str:
    """The database the router picks for reading `model`."""
    return router.db_for_read(model) or "default"


def db_param(model: type[models.Model], name: str, value: Any, alias: str) -> Any:
    """`value` as the ORM would bind it for `model`'s field `name` on `alias` (a UUID or
    a date on SQLite is text)."""
    return _field(model, name).get_db_prep_value(value, connections[alias], prepared=False)


def instance(model: type[M], names: tuple[str, ...], values: Any, alias: str) -> M:
    """An instance of `model` from the columns `names` (attribute names, the others
    deferred) after the ORM's converters: what `.only(*names)` would have given."""
    connection = connections[alias]
    given = dict(zip(names, values, strict=True))
    for name, steps in zip(names, _converters(model, names, alias), strict=True):
        for convert, col in steps:
            given[name] = convert(given[name], col, connection)
    # `from_db` takes a subset of the columns in the model's order
    ordered = [f.attname for f in model._meta.concrete_fields if f.attname in given]
    return model.from_db(alias, ordered, [given[name] for name in ordered])


def fixed_rows(model: type[models.Model], sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """The rows of a fixed SELECT about `model`, from the database the router picks for
    reading it: for the per-request reads whose values need no converter (text, numbers,
    booleans)."""
    alias = read_alias(model)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def with_tables(template: str, **tables: type[models.Model]) -> str:
    """`template` with each `{name}` replaced by that model's quoted table name (values
    stay bound parameters: nothing from a request goes into the text)."""
    quote = connections["default"].ops.quote_name
    return template.format(**{name: quote(m._meta.db_table) for name, m in tables.items()})

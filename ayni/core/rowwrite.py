"""One new row, without building the INSERT each time.

A sign-in writes an audit event, the session's record and (from a new device) a notice;
every staff page writes its audit event. Django's ORM compiles each INSERT anew (about
as long as the database takes to run it); `insert` builds it once per model and
database, then only binds the values. The values go through the same steps as the
ORM's `save()` (each field's `pre_save` for `auto_now_add`, then `get_db_prep_save`:
JSON, addresses, dates as the database wants them), and the instance comes back with its
primary key, as `Model.objects.create` leaves it.

For models without save() overrides or signal receivers on save (none in the project
listens to `post_save`); anything else uses the ORM.
"""

from __future__ import annotations

import functools
from typing import Any, TypeVar

from django.db import connections, models, router

M = TypeVar("M", bound=models.Model)


@functools.cache
def _plan(model: type[models.Model], alias: str) -> tuple[str, list[models.Field[Any, Any]], bool]:
    """The INSERT of `model`'s columns but its automatic key, the fields in order, and
    whether the database returns the new key from the INSERT itself."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = model._meta
    fields = [f for f in meta.concrete_fields if f is not meta.auto_field]
    returning = connection.features.can_return_columns_from_insert
    sql = "INSERT INTO {} ({}) VALUES ({}){}".format(  # noqa: S608 - names from the model
        quote(meta.db_table),
        ", ".join(quote(str(f.column)) for f in fields),
        ", ".join(["%s"] * len(fields)),
        f" RETURNING {quote(str(meta.pk.column))}" if returning else "",
    )
    return sql, fields, returning


def insert(obj: M) -> M:
    """Write the unsaved `obj` as a new row and return it with its key."""
    model = type(obj)
    alias = router.db_for_write(model, instance=obj) or "default"
    sql, fields, returning = _plan(model, alias)
    connection = connections[alias]
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        if returning:
            (key,) = cursor.fetchone()
        else:
            table, column = model._meta.db_table, str(model._meta.pk.column)
            key = connection.ops.last_insert_id(cursor, table, column)
    obj.pk = key
    obj._state.adding = False
    obj._state.db = alias
    return obj

"""Writing many rows' new values in one statement.

Django's ``bulk_update`` builds a ``CASE WHEN id = … THEN …`` expression per field and resolves
it in Python, which costs more than the database's work for a few dozen rows of many fields (a
collection sheet's loans). ``rows_update`` sends ``WITH v(…) AS (VALUES …) UPDATE … FROM v``
instead: one statement per batch, the same on PostgreSQL and SQLite (≥ 3.33)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

BATCH_ROWS = 500


def rows_update(model, objects: Sequence, fields: Sequence[str]) -> None:
    """Write ``fields`` of ``objects`` (instances of ``model`` with their primary key) as they
    are in memory. Joins the caller's transaction; sends no signals (like ``bulk_update``)."""
    if not objects:
        return
    meta = model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    names = ["pk_", *(f"v{index}" for index in range(len(fields)))]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    assignments = ", ".join(
        f"{quote(column.column)} = v.{name}"
        for column, name in zip(columns[1:], names[1:], strict=True)
    )
    typed = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for start in range(0, len(objects), BATCH_ROWS):
            batch = objects[start : start + BATCH_ROWS]
            params, rows = [], []
            for position, instance in enumerate(batch):
                cells = []
                for column in columns:
                    params.append(
                        column.get_db_prep_save(getattr(instance, column.attname), connection)
                    )
                    # The first row's casts type every column (a column of NULLs included).
                    cells.append(
                        f"CAST(%s AS {column.cast_db_type(connection)})"
                        if typed and position == 0
                        else "%s"
                    )
                rows.append(f"({', '.join(cells)})")
            # Names come from the model's meta, every value is a parameter.
            sql = (
                f"WITH v({', '.join(names)}) AS (VALUES {', '.join(rows)}) "  # noqa: S608
                f"UPDATE {table} SET {assignments} FROM v "
                f"WHERE {table}.{quote(meta.pk.column)} = v.pk_"
            )
            cursor.execute(sql, params)

"""Search every text column of every table of the database for a person's data.

What an auditor does after an erasure: no list of "fields we remembered to
clear", but every character, text, json and binary column of every table of
the current database (``information_schema.columns``), in the same transaction
as the test. Values are always query parameters; table and column names are
quoted identifiers (psycopg2.sql).
"""
import re

from psycopg2 import sql

TEXT_TYPES = ("character varying", "character", "text", "json", "jsonb", "name")
BINARY_TYPES = ("bytea",)


def _like(value):
    """``%value%`` with LIKE's own wildcards escaped (backslash is the escape)."""
    return "%" + re.sub(r"([\\%_])", r"\\\1", value) + "%"


def needles_for(*values):
    """The forms a value may be stored in: as is, lower-cased, and, for values
    holding 6 digits or more (phone numbers), the digits alone."""
    texts, digits = set(), set()
    for value in values:
        if not value:
            continue
        texts.add(value)
        texts.add(value.lower())
        only = re.sub(r"\D", "", value)
        if len(only) >= 6:
            digits.add(only)
    return sorted(texts), sorted(digits)


def text_columns(cr):
    """{table: [(column, data_type)]} of every base table of the current schema."""
    cr.execute("""
        SELECT c.table_name, c.column_name, c.data_type
          FROM information_schema.columns c
          JOIN information_schema.tables t
            ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = current_schema()
           AND t.table_type = 'BASE TABLE'
           AND c.data_type = ANY(%s)
         ORDER BY c.table_name, c.ordinal_position""", (list(TEXT_TYPES + BINARY_TYPES),))
    columns = {}
    for table, column, data_type in cr.fetchall():
        columns.setdefault(table, []).append((column, data_type))
    return columns


def scan(cr, texts, digits=()):
    """{"table.column": [sample values]} for every column holding one of the needles.

    Text columns are searched case-insensitively (ILIKE) for each text and,
    with everything but digits removed, for each run of digits; binary columns
    for the UTF-8 bytes of each text. One pass per table.
    """
    likes = [_like(t) for t in texts]
    digit_likes = [_like(d) for d in digits]
    hits = {}
    for table, columns in sorted(text_columns(cr).items()):
        tests = []
        params = []
        for column, data_type in columns:
            ident = sql.Identifier(column)
            if data_type in BINARY_TYPES:
                parts = [sql.SQL("position(convert_to(%s, 'UTF8') in {}) > 0").format(ident)
                         for _text in texts]
                params.extend(texts)
                test = sql.SQL(" OR ").join(parts) if parts else sql.SQL("FALSE")
            else:
                test = sql.SQL("{col}::text ILIKE ANY(%s)").format(col=ident)
                params.append(likes)
                if digit_likes:
                    test = sql.SQL("({} OR regexp_replace({}::text, '[^0-9]', '', 'g') "
                                   "LIKE ANY(%s))").format(test, ident)
                    params.append(digit_likes)
            tests.append(test)
        query = sql.SQL("SELECT {} FROM {}").format(
            sql.SQL(", ").join(sql.SQL("bool_or({})").format(t) for t in tests),
            sql.Identifier(table))
        cr.execute(query, params)
        row = cr.fetchone()
        for (column, data_type), found in zip(columns, row):
            if found:
                hits["%s.%s" % (table, column)] = _samples(cr, table, column, data_type,
                                                           likes, digit_likes)
    return hits


def _samples(cr, table, column, data_type, likes, digit_likes):
    """A few of the offending values, shortened, to say what was left behind."""
    ident = sql.Identifier(column)
    if data_type in BINARY_TYPES:
        return ["<binary>"]
    test = sql.SQL("{}::text ILIKE ANY(%s)").format(ident)
    params = [likes]
    if digit_likes:
        test = sql.SQL("({} OR regexp_replace({}::text, '[^0-9]', '', 'g') LIKE ANY(%s))"
                       ).format(test, ident)
        params.append(digit_likes)
    cr.execute(sql.SQL("SELECT {}::text FROM {} WHERE {} LIMIT 3").format(
        ident, sql.Identifier(table), test), params)
    return [(value or "")[:160] for (value,) in cr.fetchall()]


def describe(hits):
    return "\n".join("  %s: %r" % (where, samples) for where, samples in sorted(hits.items()))

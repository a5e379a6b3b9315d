"""Database-enforced invariants of the journal, on both databases (STYLE.md, Money).

* UPDATE and DELETE of posted entries, lines and month-end snapshots are refused.
* PostgreSQL also checks at commit, with deferred constraint triggers, that every entry's lines
  sum to zero and that no entry is left without lines.

The SQL lives here so the migration and the test helpers use the same text.
"""

IMMUTABLE_TABLES = ("ledger_journalentry", "ledger_journalline", "ledger_balancesnapshot")

# The balance check's function (also re-created alone by a later migration when it changes).
BALANCE_FUNCTION = """
    CREATE OR REPLACE FUNCTION ledger_check_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        total numeric;
        last_line bigint;
    BEGIN
        -- The sum covers every line of the entry present when it runs (at commit), so a later
        -- line of the same entry that was already in that sum needs no second one: a bulk
        -- posting of 190,000 lines sums each entry once instead of once per line. A line added
        -- after the sum (a higher id) is summed again.
        IF current_setting('policylend.balanced_entry', true) = NEW.entry_id::text
           AND NEW.id <= current_setting('policylend.balanced_through_line', true)::bigint THEN
            RETURN NULL;
        END IF;
        SELECT COALESCE(SUM(amount), 0), MAX(id) INTO total, last_line
            FROM ledger_journalline WHERE entry_id = NEW.entry_id;
        IF total <> 0 THEN
            RAISE EXCEPTION 'policylend: journal entry % does not balance (lines sum to %)',
                NEW.entry_id, total USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        PERFORM set_config('policylend.balanced_entry', NEW.entry_id::text, true);
        PERFORM set_config('policylend.balanced_through_line', last_line::text, true);
        RETURN NULL;
    END $$
    """

POSTGRESQL_CREATE = [
    """
    CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'policylend: % of a posted % row is refused; post a reversal instead',
            TG_OP, TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
    END $$
    """,
    *[
        f"""
        CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()
        """
        for table in IMMUTABLE_TABLES
    ],
    BALANCE_FUNCTION,
    """
    CREATE CONSTRAINT TRIGGER ledger_journalline_balanced
    AFTER INSERT ON ledger_journalline DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_check_entry_balanced()
    """,
    """
    CREATE OR REPLACE FUNCTION ledger_check_entry_has_lines() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        line_count integer;
    BEGIN
        SELECT COUNT(*) INTO line_count FROM ledger_journalline WHERE entry_id = NEW.id;
        IF line_count < 2 THEN
            RAISE EXCEPTION 'policylend: journal entry % has % line(s); an entry needs at least two',
                NEW.id, line_count USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE CONSTRAINT TRIGGER ledger_journalentry_has_lines
    AFTER INSERT ON ledger_journalentry DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_check_entry_has_lines()
    """,
]

POSTGRESQL_DROP = [
    *[f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}" for table in IMMUTABLE_TABLES],
    "DROP TRIGGER IF EXISTS ledger_journalline_balanced ON ledger_journalline",
    "DROP TRIGGER IF EXISTS ledger_journalentry_has_lines ON ledger_journalentry",
    "DROP FUNCTION IF EXISTS ledger_refuse_change()",
    "DROP FUNCTION IF EXISTS ledger_check_entry_balanced()",
    "DROP FUNCTION IF EXISTS ledger_check_entry_has_lines()",
]

SQLITE_CREATE = [
    f"""
    CREATE TRIGGER IF NOT EXISTS {table}_no_{operation.lower()} BEFORE {operation} ON {table}
    BEGIN
        SELECT RAISE(ABORT, 'policylend: {operation} of a posted {table} row is refused; post a reversal instead');
    END
    """
    for table in IMMUTABLE_TABLES
    for operation in ("UPDATE", "DELETE")
]

SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {table}_no_{operation.lower()}"
    for table in IMMUTABLE_TABLES
    for operation in ("UPDATE", "DELETE")
]

# The names verify_ledger expects to find installed.
POSTGRESQL_TRIGGER_NAMES = [
    *[f"{table}_immutable" for table in IMMUTABLE_TABLES],
    "ledger_journalline_balanced",
    "ledger_journalentry_has_lines",
]
SQLITE_TRIGGER_NAMES = [
    f"{table}_no_{operation.lower()}"
    for table in IMMUTABLE_TABLES
    for operation in ("UPDATE", "DELETE")
]


def statements(vendor: str, create: bool) -> list[str]:
    if vendor == "postgresql":
        return POSTGRESQL_CREATE if create else POSTGRESQL_DROP
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    raise RuntimeError(f"policylend supports PostgreSQL and SQLite, not {vendor}")


def install(connection) -> None:
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, create=True):
            cursor.execute(sql)


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, create=False):
            cursor.execute(sql)


def installed_names(connection) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}


def expected_names(connection) -> list[str]:
    return POSTGRESQL_TRIGGER_NAMES if connection.vendor == "postgresql" else SQLITE_TRIGGER_NAMES

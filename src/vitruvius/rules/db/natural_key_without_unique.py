from collections.abc import Iterator

from ...findings import Finding, rule
from ...model import SystemModel, Table
from .common import access_paths, mentions, own_columns, tables, words
from .fixes import create_index

ACCOUNT_TABLES = frozenset({"user", "users", "account", "accounts", "member", "members", "login", "logins"})
LOGIN_NAMES = ("username", "user_name", "login", "login_name")
# Tables that keep several versions or events of a row: a slug or email repeats there by design.
HISTORY_WORDS = frozenset({"history", "histories", "revision", "revisions", "version", "versions", "log", "logs",
                           "audit", "archive", "snapshot", "snapshots", "event", "events", "redirect", "redirects"})


def natural_key(table: Table) -> str | None:
    """The column that identifies a row to people: a slug, or an account table's login name (its email
    when it has no login name)."""
    named = words(table.name)
    if HISTORY_WORDS & set(named):
        return None
    if table.column("slug"):
        return "slug"
    if named and named[-1] in ACCOUNT_TABLES:
        return next((n for n in (*LOGIN_NAMES, "email") if table.column(n)), None)
    return None


@rule("DB009", "natural-key-without-unique", severity="warning")
def natural_key_without_unique(model: SystemModel) -> Iterator[Finding]:
    """A natural key (slug, username, an account's email) that nothing makes unique.

    ## Why is this bad?
    A slug finds a page, a username or email finds an account: the application looks rows up by them and
    expects one. Checking "does it exist?" in code before inserting is a race: two sign-ups with the same
    email in the same second both pass, and from then on login picks one of two accounts. Only a unique
    constraint or index makes it impossible. Any unique index that involves the column counts: a
    composite one (`UNIQUE (site_id, slug)`), a partial one, one on `lower(email)`.

    The rule is conservative: `slug` in any table but history-like ones (revisions, versions, logs,
    redirects); in an account table (`user`, `users`, `account`, `member`, ...) its login name, or its
    email when it has no separate login name (Django's `auth_user` logs in by username, so its email is
    rightly not unique).

    ## Example
    ```sql
    CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, password_hash text NOT NULL);
    ```

    Use instead:
    ```sql
    CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, password_hash text NOT NULL);
    CREATE UNIQUE INDEX users_email_key ON users (lower(email));
    ```
    """
    for table in tables(model):
        if not (table.managed and table.columns_complete):
            continue  # what the model does not declare may be unique elsewhere
        name = natural_key(table)
        column = table.column(name) if name else None
        if column is None or column.unique or column.primary_key or column not in own_columns(model, table):
            continue
        paths = access_paths(model, table)
        if any(p.unique and any(c == name or mentions(c, name) for c in p.columns) for p in paths):
            continue
        yield Finding(
            column,
            f"{table.qualified_name}.{name} identifies rows but no unique constraint or index covers it",
            fix=create_index(table, (column.name,), unique=True),
            key=f"{table.key}/column:{name}",
        )

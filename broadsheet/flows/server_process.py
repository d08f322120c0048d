"""The process of Prefect's temporary server (see :mod:`broadsheet.flows.server`): a new SQLite
database created quickly, then Prefect's app under uvicorn.

Prefect creates a new database by running its ~110 Alembic migrations at the app's start-up
through aiosqlite, whose every statement is a hop to a thread of its own: in a new Prefect home
(the first run into a new build folder) that is about 34,000 statements and 7 to 9 s of a
2-core machine, most of the server's start. The same migration scripts, run by Alembic over a
plain synchronous SQLite connection, take about 2.5 s and give the same database: the same tables,
indexes and triggers (the order of a table's foreign-key clauses aside, which differs between two
of Prefect's own runs too) and the same rows (`tests/test_cli_server.py` compares them). The
database is built beside its final path and moved there only when complete, so a failure leaves
no half-made file: Prefect's own start-up then migrates as it always does, and an existing
database is always left to Prefect.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import warnings
from pathlib import Path

# The app Prefect's own temporary server runs.
APP = "prefect.server.api.server:create_app"


def new_sqlite_database() -> Path | None:
    """The SQLite file Prefect's settings name, when migrations run at start-up and it does not exist yet."""
    from prefect.settings import get_current_settings

    settings = get_current_settings().server.database
    url = settings.connection_url.get_secret_value() if settings.connection_url else None
    return sqlite_file_to_create(url, settings.migrate_on_start)


def sqlite_file_to_create(connection_url: str | None, migrate_on_start: bool = True) -> Path | None:
    """The file of a SQLite database URL when it is to be created here: a file (not in memory)
    that does not exist yet, of a server that migrates at start-up."""
    from sqlalchemy.engine import make_url

    if not migrate_on_start or not connection_url:
        return None
    url = make_url(connection_url)
    if not url.drivername.startswith("sqlite") or not url.database or url.database == ":memory:":
        return None
    if url.query.get("mode") == "memory" or url.database.startswith("file:"):
        return None
    path = Path(url.database)
    return None if path.exists() else path


def migrate(path: Path) -> None:
    """Prefect's SQLite migrations, head included, into a new database at `path`, over a plain
    synchronous connection; as Prefect's own environment runs them (batch mode, a transaction
    per migration, foreign keys off while they run)."""
    import sqlalchemy as sa
    from alembic.runtime.environment import EnvironmentContext
    from alembic.script import ScriptDirectory
    from prefect.server.database import provide_database_interface
    from prefect.server.database.alembic_commands import alembic_config

    interface = provide_database_interface()
    config = alembic_config()
    versions = str(interface.orm.versions_dir)
    script = ScriptDirectory(str(ScriptDirectory.from_config(config).dir), version_locations=[versions])

    def upgrade(revision, context):
        # What alembic's own `command.upgrade` runs; were it to change, create_database fails
        # and Prefect's start-up migrates instead.
        return script._upgrade_revs("head", revision)

    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with warnings.catch_warnings():
            # As Prefect's alembic_upgrade: reflection cannot read expression indexes, and need not.
            warnings.filterwarnings("ignore", message="Skipped unsupported reflection", category=sa.exc.SAWarning)
            environment = EnvironmentContext(config, script, fn=upgrade, destination_rev="head")
            with environment as context, engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                # No journal on disk and no syncs while the file is being built (about 0.6 s): a
                # failure discards the file, and it is synced once, complete, before it is used.
                connection.exec_driver_sql("PRAGMA journal_mode=MEMORY")
                connection.exec_driver_sql("PRAGMA synchronous=OFF")
                connection.commit()
                context.configure(
                    connection=connection,
                    target_metadata=interface.Base.metadata,
                    include_schemas=True,
                    render_as_batch=True,
                    transaction_per_migration=True,
                    template_args={"dialect": "sqlite"},
                )
                with context.begin_transaction():
                    context.run_migrations()
                connection.commit()
    finally:
        engine.dispose()
    with open(path, "rb+") as built:
        os.fsync(built.fileno())


def create_database(path: Path) -> bool:
    """Create the new database at `path`, built beside it and linked into place only when
    complete; False (and nothing left behind) when that fails or another process got there first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.new")
    partial.unlink(missing_ok=True)
    try:
        migrate(partial)
        os.link(partial, path)  # never over a database another process made meanwhile
        return True
    except FileExistsError:
        return False  # another run's server, sharing this Prefect home, made it first: it is used
    except Exception as exc:  # noqa: BLE001 - any failure leaves the database to Prefect's own start-up
        print(f"broadsheet: Prefect's database is left to Prefect's start-up: {exc}", file=sys.stderr)
        return False
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
        for leftover in (partial.with_name(partial.name + "-journal"), partial.with_name(partial.name + "-wal")):
            with contextlib.suppress(OSError):
                leftover.unlink()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    arguments = parser.parse_args(argv)
    path = new_sqlite_database()
    if path is not None:
        create_database(path)
    import uvicorn

    # Exits with uvicorn's STARTUP_FAILURE status when the port is taken, as its command line does.
    uvicorn.run(APP, factory=True, host="127.0.0.1", port=arguments.port, log_level="error", lifespan="on")


if __name__ == "__main__":
    main()

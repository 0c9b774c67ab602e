"""Backups of the database and the private documents, their restore, and the check that proves them.

Run with the app's virtual environment from the release directory (the settings come from the same
environment as the app's):

    python deploy/lib/backup_tool.py dump DIR
    python deploy/lib/backup_tool.py restore DIR [--replace] [--database-url URL] [--documents PATH]
    python deploy/lib/backup_tool.py verify DIR [--database-url URL] [--documents PATH]
    python deploy/lib/backup_tool.py check DIR [--database-url URL]

``check`` is the restore check: it restores into a scratch database (by default the app's database
name with ``_restorecheck`` appended, which provisioning creates) and a scratch folder, verifies,
then empties both.

A backup directory holds ``database.dump`` (pg_dump custom format), ``row-counts.tsv`` (rows per
table, counted in the very snapshot that pg_dump exported, so the counts match the dump exactly),
``documents.tar`` (the private documents) with ``documents.sha256`` (one checksum per file), and
``SHA256SUMS`` over those four files. ``verify`` compares a restored database and document folder
with the backup: every row count, every file checksum, and every storage key the database names
must point at a file (with the checksum the database recorded, for claim documents).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from indemnisation.settings import get_settings  # noqa: E402

DUMP, COUNTS, DOCS, DOC_SUMS, SUMS = (
    "database.dump",
    "row-counts.tsv",
    "documents.tar",
    "documents.sha256",
    "SHA256SUMS",
)
KEYED_COLUMNS = (  # (table, column) holding private-store keys
    ("documents", "storage_key"),
    ("documents", "thumbnail_key"),
    ("message_attachments", "storage_key"),
)


class BackupError(RuntimeError):
    """A backup, restore or check that must stop, with the reason for the operator."""


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL of the settings as a URL that libpq (psql, pg_dump) understands."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        raise BackupError(f"backups need PostgreSQL, not {parsed.drivername}")
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def pg_tool(command: list[str], url: str) -> None:
    """Runs pg_dump or pg_restore, with the password in the environment, not on the command line."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(password=None).render_as_string(hide_password=False)
    subprocess.run([*command, f"--dbname={plain}"], check=True, env=env)  # noqa: S603


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def files_under(root: Path) -> Iterator[Path]:
    if root.is_dir():
        yield from sorted(path for path in root.rglob("*") if path.is_file())


def tables(connection: psycopg.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    ).fetchall()
    return [row[0] for row in rows]


def row_counts(connection: psycopg.Connection) -> dict[str, int]:
    counts = {}
    for table in tables(connection):
        query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        counts[table] = int(connection.execute(query).fetchone()[0])  # type: ignore[index]
    return counts


def dump(target: Path, url: str, documents: Path) -> None:
    """Writes a complete backup into ``target`` (created; must not exist)."""
    target.mkdir(parents=True)
    with psycopg.connect(url, autocommit=False) as connection:
        connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]  # type: ignore[index]
        counts = row_counts(connection)
        pg_tool(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target / DUMP}",
            ],
            url,
        )
        connection.rollback()
    (target / COUNTS).write_text("".join(f"{table}\t{n}\n" for table, n in counts.items()))
    lines = []
    with tarfile.open(target / DOCS, "w") as archive:
        for path in files_under(documents):
            relative = path.relative_to(documents).as_posix()
            archive.add(path, arcname=relative, recursive=False)
            lines.append(f"{sha256_file(path)}  {relative}\n")
    (target / DOC_SUMS).write_text("".join(lines))
    sums = "".join(
        f"{sha256_file(target / name)}  {name}\n" for name in (DUMP, COUNTS, DOCS, DOC_SUMS)
    )
    (target / SUMS).write_text(sums)
    print(f"backup: {len(counts)} tables, {sum(counts.values())} rows, {len(lines)} documents")


def check_backup_files(backup: Path) -> None:
    """The backup's own files are whole (their checksums match SHA256SUMS)."""
    if not (backup / SUMS).is_file():
        raise BackupError(f"{backup} is not a complete backup (no {SUMS})")
    for line in (backup / SUMS).read_text().splitlines():
        digest, name = line.split("  ", 1)
        if sha256_file(backup / name) != digest:
            raise BackupError(f"{backup / name} is damaged (checksum differs)")


def restore(backup: Path, url: str, documents: Path, *, replace: bool) -> None:
    check_backup_files(backup)
    if any(files_under(documents)) and not replace:
        raise BackupError(f"{documents} is not empty; pass --replace to overwrite it")
    with psycopg.connect(url, autocommit=True) as connection:
        present = tables(connection)
        if present and not replace:
            raise BackupError(
                f"the database is not empty ({len(present)} tables); "
                "pass --replace to overwrite it with the backup"
            )
    wipe(url)
    pg_tool(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", str(backup / DUMP)], url
    )
    documents.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".restoring-", dir=documents.parent))
    with tarfile.open(backup / DOCS) as archive:
        archive.extractall(fresh, filter="data")
    for path in [fresh, *fresh.rglob("*")]:
        path.chmod(0o700 if path.is_dir() else 0o600)
    if documents.exists():
        shutil.rmtree(documents)
    fresh.rename(documents)


def wipe(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP SCHEMA IF EXISTS public CASCADE")
        connection.execute("CREATE SCHEMA public")


def scratch_url(url: str) -> str:
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_restorecheck").render_as_string(
        hide_password=False
    )


def check(backup: Path, url: str, scratch_parent: Path) -> list[str]:
    scratch = Path(tempfile.mkdtemp(prefix="restore-check-", dir=scratch_parent))
    try:
        restore(backup, url, scratch / "private", replace=True)
        return verify(backup, url, scratch / "private")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        wipe(url)


def verify(backup: Path, url: str, documents: Path) -> list[str]:
    """Every difference between the backup and what is in the database and the folder."""
    problems = []
    expected = dict(
        (line.split("\t")[0], int(line.split("\t")[1]))
        for line in (backup / COUNTS).read_text().splitlines()
    )
    with psycopg.connect(url) as connection:
        found = row_counts(connection)
        for table in sorted(set(expected) | set(found)):
            if expected.get(table) != found.get(table):
                problems.append(
                    f"table {table}: {found.get(table)} rows, backup had {expected.get(table)}"
                )
        keys: list[tuple[str, str | None]] = []
        for table, column in KEYED_COLUMNS:
            if table in found:
                query = sql.SQL("SELECT {} FROM {} WHERE {} IS NOT NULL").format(
                    sql.Identifier(column), sql.Identifier(table), sql.Identifier(column)
                )
                keys += [(key, None) for (key,) in connection.execute(query)]
        if "documents" in found:
            keys += connection.execute("SELECT storage_key, sha256 FROM documents").fetchall()
    sums = (backup / DOC_SUMS).read_text().splitlines()
    for line in sums:
        digest, relative = line.split("  ", 1)
        path = documents / relative
        if not path.is_file():
            problems.append(f"document {relative} is missing")
        elif sha256_file(path) != digest:
            problems.append(f"document {relative} differs from the backup")
    for key, digest in keys:
        path = documents / key[:2] / key[2:]
        if not path.is_file():
            problems.append(f"the database names {key} but no such file exists")
        elif digest and sha256_file(path) != digest:
            problems.append(f"{key}: checksum differs from the one recorded at upload")
    print(
        f"verify: {len(found)} tables, {sum(found.values())} rows, {len(sums)} documents checked, "
        f"{len(keys)} storage keys resolved, {len(problems)} problems"
    )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("action", choices=["dump", "restore", "verify", "check"])
    parser.add_argument("backup", type=Path, help="the backup directory")
    parser.add_argument("--database-url", help="default: INDEMNISATION_DATABASE_URL")
    parser.add_argument("--documents", type=Path, help="default: the private document folder")
    parser.add_argument("--replace", action="store_true", help="restore over existing data")
    args = parser.parse_args(argv)
    settings = get_settings()
    url = libpq_url(args.database_url or settings.database_url)
    if args.action == "check" and not args.database_url:
        url = scratch_url(url)
    documents = (args.documents or settings.private_dir).resolve()
    started = time.monotonic()
    problems: list[str] = []
    try:
        if args.action == "dump":
            dump(args.backup, url, documents)
        elif args.action == "restore":
            restore(args.backup, url, documents, replace=args.replace)
        if args.action == "check":
            problems = check(args.backup, url, settings.data_dir)
        if args.action in ("restore", "verify"):
            problems = verify(args.backup, url, documents)
        for problem in problems:
            print(f"MISMATCH: {problem}", file=sys.stderr)
        if problems:
            return 1
    except (BackupError, OSError, psycopg.Error, subprocess.CalledProcessError) as error:
        print(f"{args.action} FAILED: {error}", file=sys.stderr)
        return 1
    print(f"{args.action}: done in {time.monotonic() - started:.1f}s")
    os.sync()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The `ttx` command: serve, validate scenarios, write the schema, migrate, create runs."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from app.config import Settings, get_settings

cli = typer.Typer(
    help="ttx: tabletop crisis exercises for Track-2 dialogues.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_cli = typer.Typer(help="Database migrations (Alembic).", no_args_is_help=True)
run_cli = typer.Typer(help="Runs of an exercise.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(run_cli, name="run")


def _base_url(settings: Settings, host: str, port: int) -> str:
    if settings.public_url:
        return settings.public_url.rstrip("/")
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104
    return f"http://{shown}:{port}"


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on [TTX_HOST].")] = None,
    port: Annotated[int | None, typer.Option(help="Port [TTX_PORT].")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes [TTX_WORKERS].")] = None,
) -> None:
    """Start the server (migrating the database first) and print the facilitator link."""
    import uvicorn

    from app import db
    from app.auth.keys import facilitator_key
    from app.scenarios.library import Library

    settings = get_settings()
    host, port, workers = host or settings.host, port or settings.port, workers or settings.workers
    if workers > 1 and not settings.redis_url:
        typer.echo(
            "ttx serve: several workers need TTX_REDIS_URL, so that every worker hears every event",
            err=True,
        )
        raise typer.Exit(2)
    if settings.migrate_on_start:
        db.upgrade(settings.resolved_database_url)
        os.environ["TTX_MIGRATE_ON_START"] = "false"  # done once here, not by every worker
    key = facilitator_key(settings)
    library = Library.load(settings.scenario_dir)
    base = _base_url(settings, host, port)
    typer.echo(
        f"ttx: {len(library.scenarios)} scenarios from {settings.scenario_dir}/, database {_safe_url(settings.resolved_database_url)}"
    )
    for problem in library.problems:
        typer.echo(f"  skipped: {problem}", err=True)
    typer.echo(f"Participants open:   {base}/")
    typer.echo(f"Facilitator link:    {base}/#key={key}")
    typer.echo("(the facilitator key is in the link; keep it to yourself)")
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        ws_max_size=64 * 1024,
        ws_per_message_deflate=settings.ws_compression,
        ws_ping_interval=20,
        ws_ping_timeout=20,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        log_level=settings.log_level,
        timeout_graceful_shutdown=5,
        # Longer than a proxy's idle timeout (60 s for nginx): the side that closes an idle
        # connection must be the one that would otherwise send on it as it closes.
        timeout_keep_alive=75,
    )


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


MAX_SHOWN = 500  # problems printed per file: past that, a count (a generated file gone wrong)


@cli.command()
def validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Scenario files or directories.", show_default=False)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per problem.")] = False,
) -> None:
    """Check scenario files; print every problem with file:line:column and the field path."""
    from app.scenarios.library import scenario_files
    from app.scenarios.validate import ScenarioInvalid, load_file

    paths = paths or []
    files: list[Path] = []
    empty = [path for path in paths if path.is_dir() and not scenario_files(path)]
    for path in paths:
        files.extend(scenario_files(path) if path.is_dir() else [path])
    for directory in empty:
        typer.echo(f"{directory}: no scenario files (*.yaml, *.yml) in this directory", err=True)
    if not files:
        typer.echo("no scenario files given", err=True)
        raise typer.Exit(2)
    problems, failed = 0, 0
    for file in files:
        try:
            scenario = load_file(file)
        except ScenarioInvalid as exc:
            problems += len(exc.diagnostics)
            failed += 1
            for diagnostic in exc.diagnostics[:MAX_SHOWN]:
                typer.echo(
                    json.dumps(diagnostic.__dict__, ensure_ascii=False)
                    if as_json
                    else str(diagnostic)
                )
            if len(exc.diagnostics) > MAX_SHOWN:
                more = len(exc.diagnostics) - MAX_SHOWN
                typer.echo(f"{file}: … and {more:,} more problem(s) in this file", err=True)
            continue
        if not as_json:
            typer.echo(
                f"{file}: ok ({scenario.id} {scenario.metadata.version}: {len(scenario.phases)} phases, {len(scenario.injects)} injects)"
            )
    if problems:
        typer.echo(f"{problems} problem(s) in {failed} of {len(files)} file(s)", err=True)
        raise typer.Exit(1)
    if empty:
        raise typer.Exit(2)


@cli.command()
def schema(
    output: Annotated[Path, typer.Option(help="Where to write it.")] = Path(
        "exercises/schema.json"
    ),
    check: Annotated[bool, typer.Option(help="Only check that the file is up to date.")] = False,
) -> None:
    """Write the scenario format's JSON Schema (for editors), generated from the models."""
    from app.scenarios.schema import render

    text = render()
    if check:
        if not output.exists():
            typer.echo(
                f"{output} does not exist here: run `ttx schema` (or pass --output)", err=True
            )
            raise typer.Exit(1)
        if output.read_text(encoding="utf-8") != text:
            typer.echo(f"{output} is stale: run `ttx schema`", err=True)
            raise typer.Exit(1)
        typer.echo(f"{output} is up to date")
        return
    output.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {output}")


@cli.command("i18n")
def i18n_update(
    check: Annotated[
        bool, typer.Option(help="Fail if a message is untranslated or the catalogue is stale.")
    ] = False,
) -> None:
    """Extract the interface's messages and merge them into each translation (.po)."""
    from app.web import catalog

    if check:
        problems = catalog.check()
        for problem in problems:
            typer.echo(problem, err=True)
        if problems:
            raise typer.Exit(1)
        typer.echo("translations are complete")
        return
    for lang, missing in catalog.update().items():
        typer.echo(f"{lang}: {missing} untranslated message(s) in {catalog.po_path(lang)}")


@db_cli.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    from app import db

    url = get_settings().resolved_database_url
    db.upgrade(url, revision)
    typer.echo(f"database {_safe_url(url)} is at {_current(url)}")


@db_cli.command("current")
def db_current() -> None:
    """Print the database's migration revision."""
    url = get_settings().resolved_database_url
    typer.echo(_current(url) or "empty (no migrations applied)")


def _current(url: str) -> str | None:
    from app import db

    engine = db.make_engine(url)
    try:
        return db.current_revision(engine)
    finally:
        engine.dispose()


@run_cli.command("create")
def run_create(
    scenario: Annotated[str, typer.Argument(help="Scenario id from the library.")],
    title: Annotated[str | None, typer.Option(help="A title for this run.")] = None,
) -> None:
    """Create a run and print its facilitator token and join codes."""
    settings = get_settings()
    created = asyncio.run(_create_run(settings, scenario, title))
    base = _base_url(settings, settings.host, settings.port)
    typer.echo(f"run {created.id} of {scenario}")
    typer.echo(
        f"facilitator console: {base}/runs/{created.id}/console#token={created.facilitator_token}"
    )
    for team, code in created.join_codes.items():
        typer.echo(f"  join code {team:>12}: {code}")


async def _create_run(settings: Settings, scenario_id: str, title: str | None):  # type: ignore[no-untyped-def]
    from app.runs.service import RunCreate, create_run
    from app.scenarios.library import Library
    from app.scenarios.references import suggest

    library = Library.load(settings.scenario_dir)
    scenario = library.get(scenario_id)
    if scenario is None:
        typer.echo(
            f"no scenario '{scenario_id}'{suggest(scenario_id, list(library.scenarios))}", err=True
        )
        raise typer.Exit(1)
    store = _local_store(settings)
    await store.start()
    try:
        return await create_run(
            store,
            scenario,
            RunCreate(scenario=scenario_id, title=title),
            settings.auto_advance_phases,
        )
    finally:
        await store.stop()


def _local_store(settings: Settings):  # type: ignore[no-untyped-def]
    """The store of this server's database, for commands that run without the server."""
    from app import db
    from app.events.store import Store

    url = settings.resolved_database_url
    db.upgrade(url)
    return Store(db.make_engine(url), db.make_engine(url, writer=True), lambda records: None)


@cli.command("export")
def export_run(
    run_id: Annotated[str, typer.Argument(help="The run's id.")],
    format: Annotated[str, typer.Option("--format", "-f", help="json, csv, md or html.")] = "json",
    chatham: Annotated[
        bool | None,
        typer.Option(
            "--chatham/--no-chatham",
            help="Names as role aliases (default: what the scenario says).",
        ),
    ] = None,
    include_notes: Annotated[bool, typer.Option(help="Include the facilitator's notes.")] = False,
    lang: Annotated[str, typer.Option(help="en or ru (md, html).")] = "en",
    brief: Annotated[bool, typer.Option(help="Only the recommendations brief (md, html).")] = False,
    handout: Annotated[
        bool,
        typer.Option(
            help="The report as participants may be given it (md, html): Chatham House Rule, "
            "no notes, no team-private texts."
        ),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write (default: standard output)."),
    ] = None,
) -> None:
    """Export a run (the facilitator's view) as it is in this server's database."""
    from app.errors import Problem

    try:
        asyncio.run(
            _export(
                get_settings(), run_id, format, chatham, include_notes, lang, brief, handout, output
            )
        )
    except Problem as problem:
        typer.echo(f"ttx export: {problem.message}", err=True)
        raise typer.Exit(1) from None


async def _export(
    settings: Settings,
    run_id: str,
    fmt: str,
    chatham: bool | None,
    include_notes: bool,
    lang: str,
    brief: bool,
    handout: bool,
    output: Path | None,
) -> None:
    from app.auth.viewer import Role, Viewer
    from app.exports import formats
    from app.exports.archive import Options, open_archive
    from app.scenarios.models import WHITE_CELL

    if lang not in ("en", "ru"):
        typer.echo("ttx export: --lang is en or ru", err=True)
        raise typer.Exit(2)
    handout = handout and not brief
    chosen = formats.choose(fmt, brief, handout)
    store = _local_store(settings)
    viewer = Viewer(run_id=run_id, team=WHITE_CELL, role=Role.facilitator)
    edition = "handout" if handout else "full"
    options = Options(chatham, include_notes, lang, edition, chosen.review)
    archive = await open_archive(store, run_id, viewer, options)
    sink = output.open("wb") if output else sys.stdout.buffer
    try:
        async for chunk in chosen.render(archive):
            sink.write(chunk)
    finally:
        if output:
            sink.close()
    if output:
        typer.echo(f"wrote {output}", err=True)


@cli.command("import")
def import_run(
    file: Annotated[
        Path,
        typer.Argument(help="A complete JSON export (ttx export --format json --include-notes)."),
    ],
    new_id: Annotated[
        bool, typer.Option(help="Give the run a new id instead of keeping its own.")
    ] = False,
) -> None:
    """Load an exported run into this server's database."""
    from app.errors import Problem
    from app.exports.importer import import_run as load

    settings = get_settings()
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        typer.echo(f"ttx import: cannot read {file}: {exc}", err=True)
        raise typer.Exit(1) from None

    async def run() -> object:
        store = _local_store(settings)
        await store.start()
        try:
            return await load(store, data, keep_id=not new_id)
        finally:
            await store.stop()

    try:
        created = asyncio.run(run())
    except Problem as problem:
        where = f" ({problem.field})" if problem.field else ""
        typer.echo(f"ttx import: {problem.message}{where}", err=True)
        raise typer.Exit(1) from None
    base = _base_url(settings, settings.host, settings.port)
    typer.echo(f"imported run {created.id}")  # type: ignore[attr-defined]
    typer.echo(
        f"facilitator console: {base}/runs/{created.id}/console#token={created.facilitator_token}"
    )  # type: ignore[attr-defined]


def main() -> None:
    from pydantic import ValidationError

    try:
        cli()
    except KeyboardInterrupt:
        sys.exit(130)
    except ValidationError as exc:
        if exc.title != Settings.__name__:
            raise
        for error in exc.errors():
            name = "TTX_" + "_".join(map(str, error["loc"])).upper()
            reason = error["msg"].removeprefix("Value error, ")
            typer.echo(f"ttx: setting {name}: {reason}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()

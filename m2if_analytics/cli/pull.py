"""``m2if pull moodle|lrs|status``: read the platform's database or an LRS directly."""

from __future__ import annotations

from typing import Annotated

import typer

from m2if_analytics.cli.base import CohortOpt, JsonOpt, StrictOpt, app, err, out, report

pull_app = typer.Typer(help="Read Moodle's database or an xAPI LRS directly, incrementally "
                            "(read-only; only what is new since the last pull).",
                       no_args_is_help=True)
app.add_typer(pull_app, name="pull")


def _say(text: str) -> None:
    err.print(text, highlight=False, markup=False, soft_wrap=True)


def _courses(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    try:
        ids = tuple(int(p) for p in text.replace(" ", "").split(",") if p)
    except ValueError:
        raise typer.BadParameter("give course ids separated by commas, e.g. 42,43",
                                 param_hint="--courses") from None
    if any(i < 1 for i in ids):
        raise typer.BadParameter("course ids are whole numbers from 1",
                                 param_hint="--courses")
    return ids


@pull_app.command("moodle")
def pull_moodle_cmd(
    ctx: typer.Context,
    dsn: Annotated[str | None, typer.Option(
        help="postgresql://user@host[:port]/db or mysql://user@host[:port]/db [default: "
             "$M2IF_MOODLE_DSN, else [moodle] dsn]; the password from $M2IF_MOODLE_PASSWORD "
             "or [moodle] password_file.")] = None,
    prefix: Annotated[str | None, typer.Option(
        help="Moodle's table prefix [default: [moodle] prefix, mdl_].")] = None,
    courses: Annotated[str | None, typer.Option(
        help="Course ids to read, e.g. 42,43 [default: [moodle] courses; none = all].")
    ] = None,
    cohort: CohortOpt = None,
    strict: StrictOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Pull Moodle's log, roster, grades, deadlines, submissions and forum structure from its
    database, read-only; the next pull reads only what is new.

    Example: m2if pull moodle --dsn postgresql://m2if_reader@db/moodle --json
    """
    from m2if_analytics.errors import M2IFError
    from m2if_analytics.pull.database import open_database
    from m2if_analytics.pull.moodle import Target, pull_moodle

    chosen = _courses(courses)
    with ctx.obj.open(create=True) as ws:
        cfg = ws.cfg
        target = Target(prefix if prefix is not None else cfg.moodle.prefix,
                        chosen if chosen is not None else tuple(cfg.moodle.courses),
                        cohort, strict)
        if not all(c.isalnum() or c == "_" for c in target.prefix):
            raise M2IFError(f"--prefix {target.prefix!r}: letters, digits and underscores only")
        with open_database(cfg, dsn) as db:
            accounts = pull_moodle(ws, db, target, _say)
    report(accounts, as_json)


@pull_app.command("lrs")
def pull_lrs_cmd(
    ctx: typer.Context,
    endpoint: Annotated[str | None, typer.Option(
        help="The LRS's xAPI base URL, e.g. https://lrs.example.org/xAPI [default: "
             "$M2IF_LRS_ENDPOINT, else [lrs] endpoint].")] = None,
    since: Annotated[str | None, typer.Option(
        help="Read statements stored after this ISO 8601 instant [default: the high-water "
             "mark of the last pull, else everything].")] = None,
    until: Annotated[str | None, typer.Option(
        help="Read statements stored up to this ISO 8601 instant [default: no limit].")
    ] = None,
    home_page: Annotated[str | None, typer.Option(
        help="The platform's account homePage [default: [lrs] home_page, else every "
             "account].")] = None,
    strict: StrictOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Pull xAPI statements from an LRS (xAPI 1.0.3 statements resource, basic auth);
    voided statements remove what they void; the next pull reads only what is new.

    Example: m2if pull lrs --endpoint https://lrs.example.org/xAPI --json
    """
    from m2if_analytics.pull.lrs import open_lrs, pull_lrs

    with ctx.obj.open(create=True) as ws:
        client = open_lrs(ws.cfg, endpoint)
        accounts = pull_lrs(ws, client, since, home_page or ws.cfg.lrs.home_page or None,
                            strict, _say, until)
    report(accounts, as_json)


@pull_app.command("status")
def pull_status_cmd(ctx: typer.Context) -> None:
    """The high-water mark of every table pulled: source, table, mark, rows read, when.

    Example: m2if pull status
    """
    from m2if_analytics.pull.marks import listing

    with ctx.obj.open() as ws:
        rows = listing(ws.con)
    if not rows:
        out.print("nothing pulled yet", highlight=False)
    for source, item, mark, read, at in rows:
        when = f"{at:%Y-%m-%d %H:%M}"
        out.print(f"{source} {item}: mark {mark}, {read} rows read, last pull {when}",
                  highlight=False, markup=False, soft_wrap=True)


@pull_app.command("grants")
def pull_grants_cmd(
    dialect: Annotated[str, typer.Option(help="postgresql or mysql (MariaDB too).")
                       ] = "postgresql",
    user: Annotated[str, typer.Option(help="The read-only login to create.")] = "m2if_reader",
    database: Annotated[str, typer.Option(help="Moodle's database.")] = "moodle",
    prefix: Annotated[str, typer.Option(help="Moodle's table prefix.")] = "mdl_",
    host: Annotated[str, typer.Option(help="MySQL: the host m2if connects from.")] = "%",
) -> None:
    """Print the SQL creating the read-only database user m2if needs: SELECT on exactly the
    columns it reads (no IP, message or password hash). Run it as the database's
    administrator, after choosing the password.

    Example: m2if pull grants --dialect mysql --host analytics.example.org
    """
    from m2if_analytics.pull.grants import script

    if dialect not in ("postgresql", "mysql"):
        raise typer.BadParameter("postgresql or mysql", param_hint="--dialect")
    for name, value in (("--user", user), ("--database", database), ("--prefix", prefix)):
        if not all(c.isalnum() or c == "_" for c in value):
            raise typer.BadParameter("letters, digits and underscores only", param_hint=name)
    if not all(c.isalnum() or c in "_.-%" for c in host):
        raise typer.BadParameter("a host name, an address or %", param_hint="--host")
    print(script(dialect, user, database, prefix, host), end="")

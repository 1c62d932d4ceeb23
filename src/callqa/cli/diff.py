"""`callqa diff OLD.json NEW.json`: review what a rule or model change does before it judges people."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from callqa.audit_file import load_audit
from callqa.cli.tables import print_sections
from callqa.diff import diff_audits, summary, table_sections, to_json, to_markdown
from callqa.errors import ExitCode
from callqa.output import open_output

FORMATS = ("table", "json", "markdown")


def diff(
    old: Annotated[Path, typer.Argument(help="The earlier `callqa audit --format json` output.")],
    new: Annotated[Path, typer.Argument(help="The later audit of the same calls.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or markdown.")] = "table",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the payload to this file.")
    ] = None,
    min_delta: Annotated[
        float,
        typer.Option("--min-delta", help="Ignore agent score/rate moves this small or smaller."),
    ] = 0.0,
    fail_on_change: Annotated[
        bool, typer.Option("--fail-on-change", help="Exit 1 when anything changed.")
    ] = False,
) -> int:
    """Show verdicts that flipped and agents whose scores or rates moved between two audits.

    Example:  callqa diff before.json after.json --format markdown
    """
    if fmt not in FORMATS:
        raise typer.BadParameter(f"expected one of: {', '.join(FORMATS)}", param_hint="--format")
    result = diff_audits(load_audit(old), load_audit(new), min_delta=min_delta)
    with open_output(output) as out:
        if fmt == "json":
            out.write(to_json(result))
        elif fmt == "markdown":
            out.write(to_markdown(result))
        else:
            print_sections(out, summary(result), table_sections(result))
    return int(ExitCode.FINDINGS if fail_on_change and result.changed else ExitCode.OK)


def register(app: typer.Typer) -> None:
    app.command("diff")(diff)

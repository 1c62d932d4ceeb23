"""`callqa calibrate --human LABELS.csv AUDIT.json`: agreement with the QA team's own verdicts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from callqa.audit_file import load_audit
from callqa.calibrate import HEADER, calibrate, read_labels, rows, summary, to_json, to_markdown
from callqa.cli.tables import print_sections
from callqa.output import open_output

FORMATS = ("table", "json", "markdown")


def calibrate_command(
    audit: Annotated[Path, typer.Argument(help="A `callqa audit --format json` output.")],
    human: Annotated[
        Path, typer.Option("--human", help="CSV of human verdicts: call_id,behaviour,verdict.")
    ],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or markdown.")] = "table",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the payload to this file.")
    ] = None,
) -> None:
    """Per behaviour: confusion matrix, precision, recall, F1, Cohen's kappa, best threshold.

    Example:  callqa calibrate --human docs/examples/labels.csv audit.json
    """
    if fmt not in FORMATS:
        raise typer.BadParameter(f"expected one of: {', '.join(FORMATS)}", param_hint="--format")
    result = calibrate(load_audit(audit), read_labels(human))
    with open_output(output) as out:
        if fmt == "json":
            out.write(to_json(result))
        elif fmt == "markdown":
            out.write(to_markdown(result))
        else:
            print_sections(
                out, summary(result), [("Agreement with human verdicts", HEADER, rows(result))]
            )


def register(app: typer.Typer) -> None:
    app.command("calibrate")(calibrate_command)

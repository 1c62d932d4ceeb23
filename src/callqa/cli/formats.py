"""`callqa formats`: list the input formats callqa reads, with the name `--input-format` takes."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from callqa.load import READERS


def formats(
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
) -> None:
    """List the transcript formats callqa reads (detected from content; extension is a hint).

    Example:  callqa formats
    """
    rows = [
        {"name": r.name, "extensions": list(r.extensions), "description": r.description}
        for r in sorted(READERS.values(), key=lambda r: r.name)
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    width = max(len(str(row["name"])) for row in rows)
    for row in rows:
        typer.echo(f"{row['name']:<{width}}  {row['description']}")


def register(app: typer.Typer) -> None:
    app.command("formats")(formats)

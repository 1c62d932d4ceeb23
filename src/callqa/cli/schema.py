"""`callqa schema`: print the JSON Schema of the canonical call or of the audit output."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from pydantic import BaseModel

from callqa.model import AuditResult, Call


def schema(
    what: Annotated[
        str, typer.Argument(help="call (the canonical input) or audit (the JSON output).")
    ] = "call",
) -> None:
    """Print a JSON Schema.

    Example:  callqa schema call > call.schema.json
    """
    models: dict[str, type[BaseModel]] = {"call": Call, "audit": AuditResult}
    if what not in models:
        raise typer.BadParameter(f"expected one of: {', '.join(models)}", param_hint="WHAT")
    typer.echo(json.dumps(models[what].model_json_schema(), indent=2, ensure_ascii=False))


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)

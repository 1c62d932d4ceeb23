"""Draw (title, header, rows) sections as rich tables, for the smaller commands' table format."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table


def print_sections(
    out: TextIO, summary: str, sections: list[tuple[str, list[str], list[list[str]]]]
) -> None:
    console = Console(file=out, highlight=False, soft_wrap=False)
    console.print(summary, markup=False)
    for title, header, rows in sections:
        if not rows:
            continue
        table = Table(title=title)
        for column in header:
            table.add_column(column)
        for row in rows:
            table.add_row(*row)
        console.print(table)

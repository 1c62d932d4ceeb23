"""`callqa rules list | explain ID | validate PATH | test PATH`: inspect and check rule packs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from callqa.errors import ExitCode, RuleError

rules_app = typer.Typer(
    name="rules",
    help="List, explain, validate and test rules (the shipped pack or your own).",
    no_args_is_help=True,
    rich_markup_mode=None,
)

RulesOption = Annotated[
    Path | None, typer.Option("--rules", help="Rule folder or file (default: shipped pack).")
]


def _root(rules: Path | None) -> Path:
    from callqa.paths import default_rules_dir

    return rules if rules is not None else default_rules_dir()


def _err(message: str) -> None:
    from callqa.cli import err_console

    err_console.print(message, markup=False)


@rules_app.command("list")
def list_rules(
    rules: RulesOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> int:
    """List every rule: code, name, kind, behaviour or signal, severity, languages."""
    from callqa.detect.ruleset import load_ruleset

    ruleset = load_ruleset(_root(rules))
    rows: list[dict[str, Any]] = [
        {
            "id": r.code,
            "name": r.name,
            "kind": r.kind,
            "target": r.target,
            "severity": r.severity,
            "weight": r.weight,
            "languages": list(r.languages),
            "models": sorted(r.check.model_names()),
        }
        for r in ruleset.rules
    ]
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "table":
        for row in rows:
            langs = ",".join(row["languages"])
            typer.echo(
                f"{row['id']}  {row['name']:<40} {row['kind']:<17} {row['target']:<18} "
                f"{row['severity']:<8} {langs}"
            )
    else:
        raise typer.BadParameter("expected table or json", param_hint="--format")
    return int(ExitCode.OK)


@rules_app.command("explain")
def explain(
    ident: Annotated[str, typer.Argument(help="Rule id or name.")], rules: RulesOption = None
) -> int:
    """Show what a rule checks and why, with its failing and passing examples."""
    from callqa.detect.ruleset import load_ruleset

    rule = load_ruleset(_root(rules)).by_id(ident)
    if rule is None:
        _err(f"no rule {ident!r}; see `callqa rules list`")
        return int(ExitCode.ERROR)
    target = f"behaviour: {rule.behaviour}" if rule.behaviour else f"signal: {rule.signal}"
    lines = [
        f"{rule.code} {rule.name} ({rule.kind}; {target}; severity {rule.severity}; weight {rule.weight:g})",
        f"Defined at {rule.path}:{rule.line}",
        "",
        f"Message: {rule.message}",
        "",
        rule.description,
    ]
    for outcome, title in (("fail", "Fails"), ("pass", "Passes")):
        lines += ["", f"{title}:"]
        for example in rule.examples:
            if example.outcome != outcome or example.todo:
                continue
            lines.append(f"  {example.name} [{example.lang}]")
            lines += [f"    {t.role}: {t.text}" for t in example.turns]
    typer.echo("\n".join(lines))
    return int(ExitCode.OK)


@rules_app.command("validate")
def validate(path: Annotated[Path, typer.Argument(help="Rule folder or file.")]) -> int:
    """Check rule files; report every file's first error as file:line. Exit 2 on errors."""
    from callqa.detect.ruleset import validate_all

    errors = validate_all(path)
    for error in errors:
        _err(f"[{error.code}] {error}")
    if errors:
        _err(f"{len(errors)} rule file(s) invalid")
        return int(ExitCode.ERROR)
    from callqa.detect.ruleset import load_ruleset

    ruleset = load_ruleset(path)
    typer.echo(f"{len(ruleset.rules)} rules OK")
    return int(ExitCode.OK)


@rules_app.command("test")
def test(
    path: Annotated[
        Path | None, typer.Argument(help="Rule folder or file (default: shipped).")
    ] = None,
    policy: Annotated[Path | None, typer.Option("--policy", help="Policy YAML.")] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List passing examples too.")
    ] = False,
) -> int:
    """Run the examples embedded in the rules (rules only, no models). Exit 1 if any fails."""
    from callqa.detect.policy import Policy, load_policy
    from callqa.testing import run_examples

    loaded = load_policy(policy) if policy is not None else Policy()
    results = run_examples(_root(path), loaded)
    failed = todo_fixed = 0
    for result in results:
        case = result.case
        if case.example.todo:
            if result.passed:
                todo_fixed += 1
                typer.echo(f"XPASS {case.id} (todo example now passes)")
            continue
        if not result.passed:
            failed += 1
            typer.echo(f"FAIL  {case.id}  {case.rule.path}:{case.example.line}: {result.detail}")
        elif verbose:
            typer.echo(f"ok    {case.id}")
    todo = sum(1 for r in results if r.case.example.todo)
    typer.echo(
        f"{len(results) - todo - failed} passed, {failed} failed, {todo} todo ({todo_fixed} now pass)"
    )
    return int(ExitCode.FINDINGS if failed else ExitCode.OK)


def register(app: typer.Typer) -> None:
    app.add_typer(rules_app)


__all__ = ["RuleError", "register"]

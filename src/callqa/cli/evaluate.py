"""`callqa eval PATH...`: measure verdicts against labelled calls (`expected` per behaviour)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from callqa.errors import ExitCode
from callqa.load import LoadOptions
from callqa.model import BEHAVIOURS


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def _table(report: dict[str, Any]) -> str:
    lines = [
        f"detector: {report['detector']} ({report['mode']}); {report['calls']} labelled calls, "
        f"{report['unlabelled_calls']} unlabelled, {len(report['input_errors'])} input errors",
        "",
        f"{'behaviour':<18} {'lang':<5} {'n':>4} {'viol':>5} {'prec':>6} {'rec':>6} {'f1':>6} "
        f"{'f1 95% CI':>13} {'acc':>6}",
    ]
    against = report.get("reference")
    if against:
        lines[-1] += f" {'vs ' + against:>14} {'gain 95% CI':>15}"
    for behaviour in BEHAVIOURS:
        for lang, s in report["behaviours"].get(behaviour, {}).items():
            ci = s.get("f1_ci95")
            interval = "-" if ci is None else f"{_fmt(ci[0])}-{_fmt(ci[1])}"
            lines.append(
                f"{behaviour:<18} {lang:<5} {s['n']:>4} {s['violations_expected']:>5} "
                f"{_fmt(s['precision']):>6} {_fmt(s['recall']):>6} {_fmt(s['f1']):>6} "
                f"{interval:>13} {_fmt(s['accuracy']):>6}"
            )
            ref = s.get("reference")
            if ref is not None:
                gain = ref["gain_ci95"]
                span = "-" if gain is None else f"{gain[0]:+.3f}..{gain[1]:+.3f}"
                lines[-1] += f" {_fmt(ref['f1']):>14} {span:>15}"
    lines += ["", "confusion (all languages; rows expected, columns predicted: violation ok n/a)"]
    for behaviour in BEHAVIOURS:
        summary = report["behaviours"].get(behaviour, {}).get("all")
        if summary is None:
            continue
        rows = [
            " ".join(f"{summary['confusion'][e][p]:>4}" for p in ("violation", "ok", "n/a"))
            for e in ("violation", "ok", "n/a")
        ]
        lines.append(f"{behaviour:<18} " + " | ".join(rows))
    return "\n".join(lines)


def evaluate_command(
    paths: Annotated[list[str], typer.Argument(help="Labelled calls: files, folders or globs.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    rules: Annotated[Path | None, typer.Option("--rules", help="Rule folder or file.")] = None,
    policy: Annotated[Path | None, typer.Option("--policy", help="Authority policy YAML.")] = None,
    no_models: Annotated[bool, typer.Option("--no-models", help="Rules only.")] = False,
    baseline: Annotated[
        str | None,
        typer.Option("--baseline", help="Evaluate a baseline instead of the rules: phrase-list."),
    ] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="Force en, he or mixed.")
    ] = None,
    against_rules: Annotated[
        bool,
        typer.Option(
            "--against-rules",
            help="Also judge the calls with rules alone; report its F1 and the gain over it "
            "with a paired bootstrap 95% interval.",
        ),
    ] = False,
) -> int:
    """Audit labelled calls and print precision/recall/F1 (violation class) with a bootstrap
    95% interval for F1 (calls resampled, seeded), accuracy and confusion per behaviour and
    language.

    Each call needs `expected: {behaviour: violation|ok|n/a}` (top level or in metadata).
    Exit 2 when an input could not be read or no call was labelled.
    """
    from callqa.detect import Detector, load_detector
    from callqa.evaluation import BASELINES, evaluate

    if fmt not in ("table", "json"):
        raise typer.BadParameter("expected table or json", param_hint="--format")
    if against_rules and (no_models or baseline is not None):
        raise typer.BadParameter(
            "compares rules + models with rules alone: not with --no-models or --baseline",
            param_hint="--against-rules",
        )

    def rule_detector(*, use_models: bool) -> Detector:
        return load_detector(
            None if rules is None else str(rules),
            None if policy is None else str(policy),
            use_models=use_models,
        )

    detector: Detector
    if baseline is not None:
        if baseline not in BASELINES:
            raise typer.BadParameter(
                f"expected one of: {', '.join(BASELINES)}", param_hint="--baseline"
            )
        detector = BASELINES[baseline]()
        mode = f"baseline {baseline}"
    else:
        detector = rule_detector(use_models=not no_models)
        mode = "rules only" if no_models else "rules + models"
    reference = rule_detector(use_models=False) if against_rules else None
    result = evaluate(paths, detector, LoadOptions(language=language), reference)
    report = result.report(detector=detector.version, mode=mode)
    if reference is not None:
        report["reference"] = "rules only"
    typer.echo(
        json.dumps(report, ensure_ascii=False, indent=2) if fmt == "json" else _table(report)
    )
    from callqa.cli import err_console

    for error in result.errors:
        err_console.print(error, markup=False)
    if result.errors or result.calls == 0:
        if result.calls == 0:
            err_console.print("no labelled calls (each needs an `expected` field)", markup=False)
        return int(ExitCode.ERROR)
    return int(ExitCode.OK)


def register(app: typer.Typer) -> None:
    app.command("eval")(evaluate_command)

"""Throughput and memory benchmarks for callqa (not part of the test suite).

    .venv/bin/python -m bench.run                 # 1k and 10k calls, every stage, plus the baseline
    .venv/bin/python -m bench.run --sizes 1000 10000 100000 --workers 2

Each stage runs `callqa audit` in a child process over a seeded JSONL of generated calls
(`bench.generate`), with JSONL output streamed to /dev/null, and reports calls/s, turns/s and
the peak resident memory of the whole process tree (sampled from /proc every 50 ms). The naive
baseline (`bench.naive`: a Hugging Face `Pipeline` called once per turn, fp32 torch, on the
shipped models' architecture, tokenizer and input, with untrained weights: see its docstring)
runs in the same benchmark run on the first --baseline-calls of the largest size's calls, and
`full_over_baseline` is the last full stage's calls/s over the baseline's. It needs the `train`
extra (torch, transformers); without it the report has no baseline.

The issue's figures (see bench/README.md):

    .venv/bin/python -m bench.run --sizes 1000 10000 100000 --json bench/results.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.generate import write_jsonl
from bench.results import StageResult

REPO = Path(__file__).resolve().parent.parent
CALLQA = [sys.executable, "-m", "callqa"]


def _tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/statm") as handle:
                pages = int(handle.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = pages * (os.sysconf("SC_PAGE_SIZE") // 1024)
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def run_stage(stage: str, source: Path, calls: int, turns: int, workers: int) -> StageResult:
    args = [
        *CALLQA,
        "audit",
        str(source),
        "--format",
        "jsonl",
        "--quiet",
        "--workers",
        str(workers),
    ]
    if stage == "rules":
        args.append("--no-models")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    started = time.perf_counter()
    proc = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=REPO
    )
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = proc.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"stage {stage} failed ({proc.returncode}): {stderr.decode()[-2000:]}")
    return StageResult(stage, calls, turns, seconds, peak / 1024, workers)


def naive_baseline(
    source: Path, sample_calls: int, threads: int | None = None
) -> StageResult | None:
    """HF `Pipeline` once per turn on the shipped models' architecture (`bench.naive`)."""
    try:
        from bench.naive import run_naive
    except ImportError as exc:
        print(f"baseline skipped: {exc} (needs the `train` extra)", file=sys.stderr)
        return None
    result = run_naive(source, sample_calls, threads=threads)
    print(
        f"{result.stage:>6} {result.calls:>7} calls: {result.calls_per_s:8.1f} calls/s "
        f"{result.turns_per_s:9.1f} turns/s  peak {result.peak_rss_mb:7.0f} MB",
        file=sys.stderr,
    )
    return result


def count_turns(source: Path, limit: int | None = None) -> tuple[int, int]:
    calls = turns = 0
    with source.open(encoding="utf-8") as handle:
        for line in handle:
            calls += 1
            turns += len(json.loads(line)["turns"])
            if limit and calls >= limit:
                break
    return calls, turns


def machine() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "cpu": platform.processor() or platform.machine(),
        "cores": str(os.cpu_count()),
        "platform": platform.platform(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="callqa throughput and memory benchmarks")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--stages", nargs="+", default=["rules", "full"])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--baseline-calls", type=int, default=100)
    parser.add_argument(
        "--baseline-threads", type=int, default=None, help="torch threads (default: the cores)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, default=None, help="Also write the results here.")
    args = parser.parse_args(argv)

    results: list[StageResult] = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            source = write_jsonl(Path(tmp) / f"calls-{size}.jsonl", size, args.seed)
            calls, turns = count_turns(source)
            for stage in args.stages:
                result = run_stage(stage, source, calls, turns, args.workers)
                results.append(result)
                print(
                    f"{stage:>6} {calls:>7} calls: {result.calls_per_s:8.1f} calls/s "
                    f"{result.turns_per_s:9.1f} turns/s  peak {result.peak_rss_mb:7.0f} MB",
                    file=sys.stderr,
                )
        baseline = naive_baseline(source, args.baseline_calls, args.baseline_threads)
    report: dict[str, Any] = {
        "machine": machine(),
        "results": [
            asdict(r) | {"calls_per_s": r.calls_per_s, "turns_per_s": r.turns_per_s}
            for r in results
        ],
    }
    if baseline is not None:
        report["baseline"] = asdict(baseline) | {
            "calls_per_s": baseline.calls_per_s,
            "turns_per_s": baseline.turns_per_s,
        }
        full = [r for r in results if r.stage == "full"]
        if full:
            report["full_over_baseline"] = full[-1].calls_per_s / baseline.calls_per_s
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

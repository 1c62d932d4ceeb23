"""Safe by construction: YAML only through safe loaders, models only from ONNX / safetensors / JSON
(never pickle or torch.load) at run time, and nothing written outside the chosen output location.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.fakes import FakeDetector

SRC = REPO / "src" / "callqa"
TRAINING_ONLY = {SRC / "classify" / "train.py"}  # `callqa models train`: torch, never an audit
UNSAFE_YAML = {
    "load", "load_all", "unsafe_load", "unsafe_load_all", "full_load", "full_load_all",
    "Loader", "FullLoader", "UnsafeLoader", "Constructor", "FullConstructor", "UnsafeConstructor",
    "CLoader", "CFullLoader", "CUnsafeLoader",
}  # fmt: skip
PICKLING_MODULES = {"pickle", "_pickle", "cPickle", "dill", "cloudpickle", "joblib", "shelve"}


def _sources() -> list[tuple[Path, ast.AST]]:
    files = sorted(SRC.rglob("*.py"))
    assert len(files) > 50
    return [(path, ast.parse(path.read_text(encoding="utf-8"), str(path))) for path in files]


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.name}:{getattr(node, 'lineno', 0)}"


def _unsafe_yaml(path: Path, tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "yaml"
            and node.attr in UNSAFE_YAML
        ):
            found.append(f"{_where(path, node)}: yaml.{node.attr}")
        if isinstance(node, ast.ImportFrom) and node.module == "yaml":
            found += [f"{_where(path, node)}: from yaml import {a.name}" for a in node.names
                      if a.name in UNSAFE_YAML]  # fmt: skip
        if isinstance(node, ast.ClassDef):  # a custom loader must build on SafeLoader
            bases = {ast.unparse(b) for b in node.bases}
            if any(b.startswith("yaml.") for b in bases) and bases != {"yaml.SafeLoader"}:
                found.append(f"{_where(path, node)}: class {node.name}({', '.join(bases)})")
    return found


def _unpickling(path: Path, tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                top = name.split(".")[0]
                if top in PICKLING_MODULES:
                    found.append(f"{_where(path, node)}: imports {name}")
                if top in ("torch", "transformers") and path not in TRAINING_ONLY:
                    found.append(f"{_where(path, node)}: imports {name} outside training")
        if isinstance(node, ast.Call):
            call = ast.unparse(node.func)
            if call == "torch.load" or (
                path not in TRAINING_ONLY
                and (call in ("np.load", "numpy.load") or call.endswith(".from_pretrained"))
            ):
                found.append(f"{_where(path, node)}: {call}(...)")
    return found


def test_the_scanners_see_unsafe_code() -> None:
    unsafe = {
        "yaml.load(text, Loader=yaml.Loader)": 2,
        "yaml.unsafe_load(text)": 1,
        "from yaml import full_load": 1,
        "class L(yaml.FullLoader): pass": 2,
        "import pickle": 1,
        "from joblib import load": 1,
        "torch.load('m.pt')": 1,
        "import torch": 1,
        "AutoModel.from_pretrained(name)": 1,
        "np.load('w.npy', allow_pickle=True)": 1,
    }
    path = SRC / "classify" / "example.py"
    for code, count in unsafe.items():
        tree = ast.parse(code)
        assert len(_unsafe_yaml(path, tree) + _unpickling(path, tree)) == count, code
    safe = "yaml.safe_load(t)\nclass L(yaml.SafeLoader): pass\nload_file('m.safetensors')"
    assert _unsafe_yaml(path, ast.parse(safe)) + _unpickling(path, ast.parse(safe)) == []


def test_yaml_is_only_read_with_safe_loaders() -> None:
    found = [hit for path, tree in _sources() for hit in _unsafe_yaml(path, tree)]
    assert found == [], found


def test_nothing_unpickles_and_torch_only_trains() -> None:
    found = [hit for path, tree in _sources() for hit in _unpickling(path, tree)]
    assert found == [], found


PROBE = """
import pickle, sys, yaml
used = []
def refuse(name):
    def call(*args, **kwargs):
        used.append(name)
        raise AssertionError(name + " at run time")
    return call
pickle.load, pickle.loads = refuse("pickle.load"), refuse("pickle.loads")
class Unpickler(pickle.Unpickler):
    def load(self):
        used.append("pickle.Unpickler.load")
        raise AssertionError("unpickling at run time")
pickle.Unpickler = Unpickler
safe_load = yaml.load
def load(stream, Loader):
    if not issubclass(Loader, yaml.SafeLoader):
        used.append("yaml.load with " + Loader.__name__)
    return safe_load(stream, Loader)
yaml.load = load
for name in ("unsafe_load", "full_load", "unsafe_load_all", "full_load_all"):
    setattr(yaml, name, refuse("yaml." + name))
from callqa.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"torch", "transformers", "dill", "joblib"})
print(json.dumps({"code": code, "used": used, "heavy": heavy}), file=sys.stderr)
""".replace("import pickle, sys, yaml", "import json, pickle, sys, yaml")


def test_an_audit_with_the_shipped_models_never_unpickles(tmp_path: Path) -> None:
    """A real process audits an English and a Hebrew call with rules and models, with pickle and
    unsafe YAML loading booby-trapped."""
    samples = REPO / "sample_transcripts"
    inputs = [str(samples / "agent-jake__en-delivery-05.txt"), str(samples / "agent-dana__he-billing-05.txt")]  # fmt: skip
    out = tmp_path / "audit.json"
    options = ["-j", "1", "-f", "json", "-q", "--exit-zero", "-o", str(out)]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "audit", *inputs, *options],
        capture_output=True,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        timeout=300,
        cwd=REPO,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report == {"code": 0, "used": [], "heavy": []}, done.stderr[-3000:]
    assert '"signal": "model"' in out.read_text(encoding="utf-8"), "the models must have run"


HOSTILE_IDS = ["../../escaped", "../../../escaped-too", "/tmp/callqa-absolute-escape", "a/../../b"]


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "html", "junit", "markdown"])
def test_hostile_call_ids_write_nothing_outside_the_output(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fmt: str
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("callqa.cli.audit.load_detector", lambda *a, **k: FakeDetector())
    root = tmp_path / "deep" / "er"
    calls, out_dir, cwd = root / "calls", root / "out", root / "cwd"
    for folder in (calls, out_dir, cwd):
        folder.mkdir(parents=True)
    hostile = [*HOSTILE_IDS, str(tmp_path / "absolute-escape")]
    for i, call_id in enumerate(hostile):
        call = {"call_id": call_id, "agent_id": f"../agent-{i}", "turns": [
            {"speaker": "customer", "text": "my router is broken"},
            {"speaker": "agent", "text": "you idiot"}]}  # fmt: skip
        (calls / f"c{i}.json").write_text(json.dumps(call), encoding="utf-8")
    monkeypatch.chdir(cwd)
    before = _tree(tmp_path)
    out = out_dir / f"report.{fmt}"
    run_cli("audit", str(calls), "-f", fmt, "-j", "1", "-o", str(out), "--exit-zero", expect=0)
    assert _tree(tmp_path) - before == {str(out.relative_to(tmp_path))}
    assert not Path("/tmp/callqa-absolute-escape").exists()
    if fmt == "json":  # the ids are reported as they are, never used as paths
        payload = json.loads(out.read_text(encoding="utf-8"))
        assert sorted(c["call_id"] for c in payload["calls"]) == sorted(hostile)


def test_an_interrupted_run_leaves_only_its_journal_beside_the_output(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(
        "callqa.cli.audit.load_detector", lambda *a, **k: FakeDetector(fail_on_text="STOP")
    )
    calls, out_dir, cwd = tmp_path / "calls", tmp_path / "out", tmp_path / "cwd"
    for folder in (calls, out_dir, cwd):
        folder.mkdir()
    for i, call_id in enumerate([*HOSTILE_IDS, "last"]):
        text = "STOP" if call_id == "last" else "happy to help"
        call = {"call_id": call_id, "turns": [{"speaker": "agent", "text": text}]}
        (calls / f"c{i}.json").write_text(json.dumps(call), encoding="utf-8")
    monkeypatch.chdir(cwd)
    before = _tree(tmp_path)
    run_cli("audit", str(calls), "-f", "json", "-j", "1", "-o", str(out_dir / "r.json"), expect=2)
    assert _tree(tmp_path) - before == {"out/.r.json.callqa-journal.jsonl"}


def test_a_missing_output_folder_is_an_error_before_anything_is_written(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("callqa.cli.audit.load_detector", lambda *a, **k: FakeDetector())
    (tmp_path / "c.json").write_text(
        json.dumps({"call_id": "c", "turns": [{"speaker": "agent", "text": "hi"}]}), "utf-8"
    )
    result = run_cli("audit", str(tmp_path / "c.json"), "-o", str(tmp_path / "no" / "r.json"), expect=2)  # fmt: skip
    assert "[E500]" in result.stderr and "does not exist" in result.stderr
    assert "internal error" not in result.stderr

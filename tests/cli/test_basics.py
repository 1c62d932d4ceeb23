import json


def test_help_documents_exit_codes(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--help", expect=0)
    assert "Exit codes" in result.stdout


def test_schema_prints_the_call_schema(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("schema", "call", expect=0)
    schema = json.loads(result.stdout)
    assert set(schema["required"]) == {"call_id"}
    assert "turns" in schema["properties"]


def test_unknown_option_exits_2(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("audit", "--no-such-option", "x", expect=2)
    assert result.stdout == ""

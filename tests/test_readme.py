"""The README's two set-up commands are the ones CI and users run."""
import re

from .conftest import ROOT


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```\n(python3 -m venv .+)\n```", text)


def test_readme_opens_with_the_two_commands():
    run_example, run_tests = readme_commands()[:2]
    assert "crosscount analyze examples/" in run_example
    assert run_tests.endswith("pytest")


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci


def test_the_sample_output_is_what_the_example_prints(capsys):
    from crosscount.cli import main

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    sample = text.split("## What it prints\n\n```\n", 1)[1].split("```", 1)[0]
    assert main(["analyze", str(ROOT / "examples" / "maarat-shelling.txt")]) == 0
    printed = {line.rstrip() for line in capsys.readouterr().out.splitlines()}
    shown = [line.rstrip() for line in sample.splitlines() if line.strip() and line.strip() != "..."]
    assert shown and [line for line in shown if line not in printed] == []

"""The Dockerfile, compose.yaml and .dockerignore keep their essentials (no image can be
built on these machines, so these are read, not run; the start script is run elsewhere)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def dockerfile_stages() -> list[list[tuple[str, str]]]:
    """The Dockerfile's instructions as (INSTRUCTION, arguments), one list per stage."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    stages: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instruction, _, arguments = line.partition(" ")
        if instruction.upper() == "FROM":
            stages.append([])
        stages[-1].append((instruction.upper(), " ".join(arguments.split())))
    return stages


def healthcheck_command() -> list[str]:
    final = dockerfile_stages()[-1]
    (arguments,) = [args for name, args in final if name == "HEALTHCHECK"]
    return list(json.loads(arguments.split(" CMD ", 1)[1]))


def test_the_image_builds_the_wheel_first_and_installs_only_it_as_a_user_not_root() -> None:
    builder, final = dockerfile_stages()
    assert builder[0] == ("FROM", "python:3.11-slim AS builder")
    assert any(name == "RUN" and "pip wheel" in args for name, args in builder)
    assert final[0] == ("FROM", "python:3.11-slim")
    runs = " ".join(args for name, args in final if name == "RUN")
    assert "--no-index --find-links=/wheels farlab" in runs
    assert not any(tool in runs for tool in ("apt-get", "gcc", "build-essential"))
    users = [args for name, args in final if name == "USER"]
    assert users
    assert users[-1] not in ("root", "0")
    copied = [args for name, args in final if name == "COPY"]
    assert all("--from=builder /wheels" in c or "scripts/container-start.sh" in c for c in copied)


def test_the_builder_copies_every_package_the_wheel_ships() -> None:
    builder, _final = dockerfile_stages()
    copied = {args.split()[0] for name, args in builder if name == "COPY"}
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = {
        p.rstrip("*") for p in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    }
    assert packages <= copied
    assert all((ROOT / name).exists() for name in copied)


def test_the_image_checks_healthz_with_python_and_serves_through_the_start_script() -> None:
    final = dockerfile_stages()[-1]
    command = healthcheck_command()
    assert command[:2] == ["python", "-c"]
    assert "/healthz" in command[2]
    (entrypoint,) = [json.loads(args) for name, args in final if name == "ENTRYPOINT"]
    assert entrypoint == ["farlab-container-start"]
    assert (
        "COPY",
        "--chmod=755 scripts/container-start.sh /usr/local/bin/farlab-container-start",
    ) in final
    (cmd,) = [json.loads(args) for name, args in final if name == "CMD"]
    assert cmd == ["farlab", "serve", "--host", "0.0.0.0"]  # noqa: S104
    assert any(name == "ENV" and "FARLAB_AUTO_MIGRATE=false" in args for name, args in final)


def test_compose_runs_postgres_15_on_a_named_volume_and_serves_once_it_is_healthy() -> None:
    text = (ROOT / "compose.yaml").read_text()
    compose = yaml.safe_load(text)
    db, web = compose["services"]["db"], compose["services"]["farlab"]
    assert db["image"] == "postgres:15"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert web["command"][:2] == ["farlab", "serve"]
    assert web["environment"]["DATABASE_URL"].startswith("postgresql://")
    # The separate scheduler is there, commented out, with the web serving --no-scheduler.
    assert "# scheduler:" in text
    assert '"--no-scheduler"' in text
    assert "scheduler" not in compose["services"]


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_build() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", ".env", "*.db", "tests"} <= ignored

"""``innograph keys``: create prints the key once, list never shows secrets, revoke marks it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from api.keys import KeyStore
from cli.main import app

runner = CliRunner()


def test_create_list_revoke(tmp_path: Path) -> None:
    created = runner.invoke(app, ["keys", "create", "--name", "ARoTT import", "--role", "editor",
                                  "--data-dir", str(tmp_path)])
    assert created.exit_code == 0, created.output
    plaintext = created.stdout.strip().splitlines()[-1]
    assert plaintext.startswith("ig_")
    store = KeyStore(tmp_path / "keys.json")
    record = store.verify(plaintext)
    assert record is not None and record.role == "editor" and record.name == "ARoTT import"
    assert plaintext.split("_", 2)[2] not in (tmp_path / "keys.json").read_text()

    listed = runner.invoke(app, ["keys", "list", "--json", "--data-dir", str(tmp_path)])
    assert listed.exit_code == 0
    (entry,) = json.loads(listed.stdout)
    assert entry == {"id": record.id, "name": "ARoTT import", "role": "editor", "created": record.created,
                     "revoked": None}
    assert plaintext not in listed.stdout
    table = runner.invoke(app, ["keys", "list", "--data-dir", str(tmp_path)])
    assert record.id in table.stdout and plaintext not in table.stdout

    revoked = runner.invoke(app, ["keys", "revoke", record.id, "--data-dir", str(tmp_path)])
    assert revoked.exit_code == 0
    assert store.verify(plaintext) is None
    assert json.loads(runner.invoke(app, ["keys", "list", "--json", "--data-dir", str(tmp_path)]).stdout)[0]["revoked"]


def test_bad_role_and_unknown_id(tmp_path: Path) -> None:
    bad = runner.invoke(app, ["keys", "create", "--name", "x", "--role", "root", "--data-dir", str(tmp_path)])
    assert bad.exit_code == 2
    unknown = runner.invoke(app, ["keys", "revoke", "deadbeef", "--data-dir", str(tmp_path)])
    assert unknown.exit_code == 2 and "no API key" in unknown.output


def test_serve_is_a_command() -> None:
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0 and "--port" in result.stdout and "--data-dir" in result.stdout

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


def _store_with(tmp_path: Path, turtle: str) -> None:
    """A data folder whose store holds ``turtle`` in one graph (closed again, as a server would find it)."""
    import pyoxigraph as ox

    store = ox.Store(str(tmp_path / "store"))
    store.load(turtle.encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("https://w3id.org/innograph/graph/test"))
    store.flush()
    del store


ORG_TTL = """
@prefix org: <http://www.w3.org/ns/org#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/innograph/id/org/osim> a org:Organization .
<http://data.europa.eu/nuts/code/RO21> skos:notation "RO21" ; skos:inScheme <https://w3id.org/innograph/vocab/nuts2021> .
"""


def test_member_key_needs_an_organisation(tmp_path: Path) -> None:
    refused = runner.invoke(app, ["keys", "create", "--name", "OSIM", "--role", "member", "--data-dir", str(tmp_path)])
    assert refused.exit_code == 2 and "--organisation" in refused.output
    assert not (tmp_path / "keys.json").exists()
    created = runner.invoke(app, ["keys", "create", "--name", "OSIM", "--role", "member", "--organisation", "osim",
                                  "--data-dir", str(tmp_path)])
    assert created.exit_code == 0, created.output
    assert "checked for form only" in created.output  # no store in this folder
    (entry,) = json.loads(runner.invoke(app, ["keys", "list", "--json", "--data-dir", str(tmp_path)]).stdout)
    assert entry["role"] == "member" and entry["organisation"] == "osim"
    table = runner.invoke(app, ["keys", "list", "--data-dir", str(tmp_path)])
    assert "organisation" in table.stdout and "osim" in table.stdout


def test_binding_is_checked_against_the_store(tmp_path: Path) -> None:
    _store_with(tmp_path, ORG_TTL)
    unknown = runner.invoke(app, ["keys", "create", "--name", "x", "--role", "member", "--organisation", "nobody",
                                  "--data-dir", str(tmp_path)])
    assert unknown.exit_code == 2 and "no organisation with id 'nobody'" in unknown.output
    bad_region = runner.invoke(app, ["keys", "create", "--name", "x", "--role", "member", "--organisation", "osim",
                                     "--region", "RO99", "--data-dir", str(tmp_path)])
    assert bad_region.exit_code == 2 and "RO99" in bad_region.output
    assert not (tmp_path / "keys.json").exists()
    good = runner.invoke(app, ["keys", "create", "--name", "x", "--role", "member", "--organisation", "osim",
                               "--region", "RO21", "--data-dir", str(tmp_path)])
    assert good.exit_code == 0, good.output
    (entry,) = json.loads(runner.invoke(app, ["keys", "list", "--json", "--data-dir", str(tmp_path)]).stdout)
    assert (entry["organisation"], entry["region"]) == ("osim", "RO21")

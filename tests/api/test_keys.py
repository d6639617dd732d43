"""API keys at rest: hashed, never the plaintext, 0600, atomic; verification and revocation."""

from __future__ import annotations

import json
import stat
import threading
from pathlib import Path

import pytest

from api.keys import KeyStore, Role, split_key
from common.errors import ConfigurationError, InvalidInputError, NotFoundError


def test_keys_are_hashed_at_rest(tmp_path: Path) -> None:
    keys = KeyStore(tmp_path / "keys.json")
    record, plaintext = keys.create("ARoTT import", Role.editor)
    key_id, secret = split_key(plaintext) or ("", "")
    assert key_id == record.id and plaintext.startswith(f"ig_{record.id}_") and len(secret) >= 43
    text = (tmp_path / "keys.json").read_text()
    assert secret not in text and plaintext not in text
    stored = json.loads(text)["keys"][0]
    assert set(stored) == {"id", "name", "role", "created", "revoked", "salt", "hash"}
    assert stat.S_IMODE((tmp_path / "keys.json").stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".keys-")]  # no temporary file left


def test_verify_accepts_only_the_exact_active_key(tmp_path: Path) -> None:
    keys = KeyStore(tmp_path / "keys.json")
    record, plaintext = keys.create("reader", Role.reader)
    assert keys.verify(plaintext) == record
    assert keys.verify(plaintext[:-1] + ("A" if plaintext[-1] != "A" else "B")) is None
    assert keys.verify(f"ig_00000000_{plaintext.split('_', 2)[2]}") is None
    assert keys.verify("not a key") is None and keys.verify("") is None
    keys.revoke(record.id)
    assert keys.verify(plaintext) is None
    listed = keys.list()[0]
    assert listed.revoked is not None and "hash" not in listed.public()


def test_another_process_writing_the_file_is_seen_at_once(tmp_path: Path) -> None:
    server, cli = KeyStore(tmp_path / "keys.json"), KeyStore(tmp_path / "keys.json")
    assert server.list() == []
    _, plaintext = cli.create("late", Role.admin)
    assert server.verify(plaintext) is not None


def test_concurrent_creates_lose_nothing(tmp_path: Path) -> None:
    stores = [KeyStore(tmp_path / "keys.json") for _ in range(8)]
    threads = [threading.Thread(target=s.create, args=(f"k{i}", Role.reader)) for i, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(KeyStore(tmp_path / "keys.json").list()) == 8


def test_errors(tmp_path: Path) -> None:
    keys = KeyStore(tmp_path / "keys.json")
    with pytest.raises(NotFoundError, match="keys list"):
        keys.revoke("deadbeef")
    with pytest.raises(InvalidInputError):
        keys.create("  ", Role.reader)
    (tmp_path / "keys.json").write_text("{not json")
    with pytest.raises(ConfigurationError, match="not a valid key file"):
        keys.list()


def test_roles_are_ordered() -> None:
    assert Role.admin.allows(Role.editor) and Role.editor.allows(Role.reader)
    assert not Role.reader.allows(Role.editor)


def test_member_sits_between_reader_and_editor() -> None:
    assert list(Role) == [Role.reader, Role.member, Role.editor, Role.admin]
    assert Role.member.allows(Role.reader) and not Role.member.allows(Role.editor)
    assert Role.editor.allows(Role.member) and Role.admin.allows(Role.member)
    assert not Role.reader.allows(Role.member)


def test_member_key_is_bound_to_an_organisation(tmp_path: Path) -> None:
    keys = KeyStore(tmp_path / "keys.json")
    with pytest.raises(InvalidInputError, match="organisation") as caught:
        keys.create("OSIM staff", Role.member)
    assert caught.value.field == "organisation"
    assert not (tmp_path / "keys.json").exists()  # nothing written
    record, plaintext = keys.create("OSIM staff", Role.member, organisation=" osim ")
    broker, _ = keys.create("ADR Nord-Est", Role.reader, region="ro21")
    assert record.organisation == "osim" and record.region is None
    assert broker.region == "RO21" and broker.organisation is None
    verified = KeyStore(tmp_path / "keys.json").verify(plaintext)
    assert verified is not None and verified.organisation == "osim" and verified.role is Role.member
    stored = {k["id"]: k for k in json.loads((tmp_path / "keys.json").read_text())["keys"]}
    assert stored[record.id]["organisation"] == "osim" and "region" not in stored[record.id]
    assert stored[broker.id]["region"] == "RO21"
    assert record.public()["organisation"] == "osim" and "region" not in record.public()


@pytest.mark.parametrize(("field", "kwargs"), [
    ("organisation", {"organisation": "has space"}),
    ("organisation", {"organisation": "<script>"}),
    ("region", {"organisation": "osim", "region": "Nord-Est"}),
    ("region", {"organisation": "osim", "region": "RO2134"}),
])
def test_malformed_bindings_are_refused(tmp_path: Path, field: str, kwargs: dict[str, str]) -> None:
    with pytest.raises(InvalidInputError) as caught:
        KeyStore(tmp_path / "keys.json").create("x", Role.member, **kwargs)
    assert caught.value.field == field


def test_old_key_files_without_bindings_still_load(tmp_path: Path) -> None:
    keys = KeyStore(tmp_path / "keys.json")
    record, plaintext = keys.create("old", Role.editor)
    doc = json.loads((tmp_path / "keys.json").read_text())
    assert set(doc["keys"][0]) == {"id", "name", "role", "created", "revoked", "salt", "hash"}
    (tmp_path / "keys.json").write_text(json.dumps(doc))
    loaded = KeyStore(tmp_path / "keys.json").verify(plaintext)
    assert loaded == record and loaded.organisation is None and loaded.region is None


def test_the_principal_carries_the_binding(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from starlette.requests import Request

    from api.auth import caller
    from common.settings import Settings

    keys = KeyStore(tmp_path / "keys.json")
    _, plaintext = keys.create("OSIM broker", Role.member, organisation="osim", region="RO32")
    app = SimpleNamespace(state=SimpleNamespace(settings=Settings(data_dir=tmp_path), keys=keys))
    request = Request({"type": "http", "app": app, "headers": [(b"x-api-key", plaintext.encode())]})
    principal = caller(request)
    assert principal is not None
    assert (principal.role, principal.organisation, principal.region) == (Role.member, "osim", "RO32")

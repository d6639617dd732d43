"""Access control: 401 without or with a wrong key, 403 with too low a role, 2xx with the right one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.keys import KeyStore, Role
from common.settings import Settings
from tests.api.conftest import assert_problem

CSV = b"org_id,name,kind,country,nuts\nexample-new-lab,Example New Lab (illustrative),research-unit,RO,RO21\n"


def upload(client: TestClient, headers: dict[str, str], name: str = "auth-test") -> httpx.Response:
    return client.post("/ingest", files=[("files", ("organisations.csv", CSV))], data={"name": name},
                       headers=headers)


def test_ingest_needs_an_editor_key(client: TestClient, keys: Callable[[Role], str]) -> None:
    reader_key, editor_key, admin_key = keys(Role.reader), keys(Role.editor), keys(Role.admin)

    missing = assert_problem(upload(client, {}), 401)
    assert "editor" in missing["detail"]
    wrong = upload(client, {"Authorization": "Bearer ig_0123abcd_wrongwrongwrong"})
    assert_problem(wrong, 401)
    assert wrong.headers["www-authenticate"] == 'Bearer realm="innograph", error="invalid_token"'
    too_low = assert_problem(upload(client, {"Authorization": f"Bearer {reader_key}"}), 403)
    assert "reader" in too_low["detail"] and "editor" in too_low["detail"]
    assert upload(client, {"Authorization": f"Bearer {editor_key}"}).status_code == 200
    assert upload(client, {"X-API-Key": admin_key}, name="auth-test-2").status_code == 200


def test_malformed_and_revoked_keys_are_401(client: TestClient, data_dir: Path) -> None:
    store = KeyStore(Settings(data_dir=data_dir).keys_file)
    record, key = store.create("soon revoked", Role.editor)
    assert_problem(upload(client, {"Authorization": f"Basic {key}"}), 401)
    assert_problem(upload(client, {"Authorization": f"Bearer {key}", "X-API-Key": key + "x"}), 401)
    store.revoke(record.id)
    assert_problem(upload(client, {"X-API-Key": key}), 401)


def test_a_wrong_key_is_refused_even_where_anonymous_may_read(client: TestClient) -> None:
    assert client.get("/search?q=osim").status_code == 200
    assert_problem(client.get("/search?q=osim", headers={"X-API-Key": "ig_00000000_nope"}), 401)


READ_URLS = ["/stats", "/search?q=osim", "/organisations/osim", "/regions/RO21", "/vocabularies",
             "/vocabularies/trl"]


def test_reads_need_a_key_when_anonymous_read_is_off(
    make_client: Callable[..., TestClient], keys: Callable[[Role], str]
) -> None:
    client = make_client(allow_anonymous_read=False)
    key = keys(Role.reader)
    for url in READ_URLS:
        refused = client.get(url)
        assert_problem(refused, 401)
        assert refused.headers["www-authenticate"].startswith("Bearer")
        assert client.get(url, headers={"Authorization": f"Bearer {key}"}).status_code == 200, url
    assert client.get("/health").status_code == 200 and client.get("/ready").status_code == 200


@pytest.mark.parametrize("name", ["ontology", "vocab-trl"])
def test_base_graphs_need_admin(client: TestClient, keys: Callable[[Role], str], name: str) -> None:
    body = assert_problem(upload(client, {"X-API-Key": keys(Role.editor)}, name=name), 403)
    assert "admin" in body["detail"]


def test_provenance_is_reserved(client: TestClient, keys: Callable[[Role], str]) -> None:
    body = assert_problem(upload(client, {"X-API-Key": keys(Role.admin)}, name="provenance"), 422)
    assert body["errors"][0]["field"] == "name"

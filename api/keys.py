"""API keys: random, shown once, stored hashed in ``<data_dir>/keys.json``.

A key looks like ``ig_3f9a1c2e_<43 random characters>``: ``ig_`` marks it as ours (secret
scanners can look for it), the 8 hex characters are its public id (listed, logged, used to
revoke), the rest is ``secrets.token_urlsafe(32)``, 256 random bits.

Why HMAC-SHA256 with a per-key salt and not scrypt: scrypt and bcrypt exist to slow down
guessing of low-entropy passwords; a 256-bit random secret cannot be guessed however fast the
hash, while a slow hash would add ~50 ms to every request and make a flood of bad keys a
cheap denial of service. What must hold is that ``keys.json`` never contains a usable
secret, and that comparisons take constant time (``hmac.compare_digest``).

Why a file and not the RDF store: keys are not knowledge, must never be exported with the
graph, and the CLI must be able to manage them while a server holds the store's lock.
Writes are atomic (temporary file, ``fsync``, ``os.replace``), mode 0600, and serialised
with an advisory lock so two ``innograph keys create`` never lose each other's key.

>>> import tempfile, pathlib
>>> keys = KeyStore(pathlib.Path(tempfile.mkdtemp()) / "keys.json")
>>> record, secret = keys.create("ci", Role.editor)
>>> keys.verify(secret).role
<Role.editor: 'editor'>
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from common.errors import ConfigurationError, InvalidInputError, NotFoundError

PREFIX = "ig"
_ID_CHARS = set("0123456789abcdef")
#: A NUTS code of any level: country (RO), macro-region (RO1), region (RO21), county (RO213).
_NUTS_CODE = re.compile(r"[A-Z]{2}[0-9A-Z]{0,3}")
#: An organisation id as in /organisations/{id}: a slug, or pic/ + digits; no spaces or IRI-breaking characters.
_ORG_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~/-]{0,199}")


class Role(StrEnum):
    """What a key may do; each role includes the ones before it."""

    reader = "reader"  # every GET
    member = "member"  # + its own organisation's profile, offers and requests (needs ApiKey.organisation)
    editor = "editor"  # + POST /ingest, every organisation's records
    admin = "admin"  # + writing the ontology and vocabulary graphs

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank


@dataclass(frozen=True)
class ApiKey:
    """One key as stored: everything but the secret."""

    id: str
    name: str
    role: Role
    created: str
    revoked: str | None
    salt: str
    hash: str
    #: The organisation the key acts for (its id as in ``/organisations/{id}``: ``osim``,
    #: ``pic/999918293``); required for ``Role.member``, optional otherwise.
    organisation: str | None = None
    #: A NUTS code (``RO21``): the key is a broker of that region and sees the inbox of the
    #: organisations located in it (and in its sub-regions).
    region: str | None = None

    def public(self) -> dict[str, str | None]:
        """What ``innograph keys list`` shows: no salt, no hash; the binding only when there is one."""
        shown: dict[str, str | None] = {"id": self.id, "name": self.name, "role": self.role.value,
                                        "created": self.created, "revoked": self.revoked}
        shown.update(self.binding())
        return shown

    def binding(self) -> dict[str, str]:
        """The organisation and region fields that are set (old key files have neither)."""
        return {k: v for k, v in (("organisation", self.organisation), ("region", self.region)) if v is not None}

    def stored(self) -> dict[str, str | None]:
        """The JSON object of ``keys.json``: unset bindings are left out, so files stay as before."""
        raw = asdict(self)
        for field in ("organisation", "region"):
            if raw[field] is None:
                del raw[field]
        return raw


def check_binding_form(
    role: Role, organisation: str | None, region: str | None
) -> tuple[str | None, str | None]:
    """``(organisation, region)`` trimmed and checked for form; ``InvalidInputError`` naming the field.

    Why a member needs an organisation: its whole permission is "its own organisation's records";
    a member key bound to nothing could edit nothing, and is refused rather than created useless.
    """
    organisation = organisation.strip() if organisation is not None else None
    region = region.strip().upper() if region is not None else None
    if organisation is not None and not _ORG_ID.fullmatch(organisation):
        raise InvalidInputError("organisation", f"{organisation!r} is not an organisation id such as 'osim' or "
                                "'pic/999918293' (see /organisations/{id})")
    if region is not None and not _NUTS_CODE.fullmatch(region):
        raise InvalidInputError("region", f"{region!r} is not a NUTS code such as RO21 or RO213")
    if role is Role.member and organisation is None:
        raise InvalidInputError("organisation", "a member key acts for one organisation: give --organisation <id>")
    return organisation or None, region or None


def _digest(salt: str, secret: str) -> str:
    return hmac.new(bytes.fromhex(salt), secret.encode(), hashlib.sha256).hexdigest()


def split_key(presented: str) -> tuple[str, str] | None:
    """(id, secret) of a well-formed key, None for anything else."""
    parts = presented.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or len(parts[1]) != 8 or not set(parts[1]) <= _ID_CHARS:
        return None
    return parts[1], parts[2]


class KeyStore:
    """The keys of one data folder; re-read when the file changes, so CLI edits apply at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._keys: dict[str, ApiKey] = {}

    # --- reading

    def _load(self) -> dict[str, ApiKey]:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            self._stamp, self._keys = None, {}
            return self._keys
        stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)  # os.replace gives a new inode
        if stamp != self._stamp:
            try:
                raw = json.loads(self.path.read_text(encoding="utf-8"))
                keys = {item["id"]: ApiKey(**{**item, "role": Role(item["role"])}) for item in raw["keys"]}
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise ConfigurationError(f"{self.path} is not a valid key file: {exc}") from exc
            self._stamp, self._keys = stamp, keys
        return self._keys

    def list(self) -> list[ApiKey]:
        with self._lock:
            return sorted(self._load().values(), key=lambda k: (k.created, k.id))

    def verify(self, presented: str) -> ApiKey | None:
        """The active key matching ``presented``; None if unknown, malformed or revoked."""
        parts = split_key(presented)
        with self._lock:
            record = self._load().get(parts[0]) if parts else None
        if record is None or parts is None:
            # same work as a real check, so timing does not tell which ids exist
            hmac.compare_digest(_digest("00" * 16, presented), "0" * 64)
            return None
        if not hmac.compare_digest(_digest(record.salt, parts[1]), record.hash):
            return None
        return None if record.revoked else record

    # --- writing

    @contextlib.contextmanager
    def _editing(self) -> Iterator[dict[str, ApiKey]]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            with self._lock:
                self._stamp = None  # another process may have written since we last looked
                keys = dict(self._load())
                yield keys
                self._write(keys)
        finally:
            os.close(fd)

    def _write(self, keys: dict[str, ApiKey]) -> None:
        doc = {"version": 1, "keys": [k.stored() for k in sorted(keys.values(), key=lambda k: (k.created, k.id))]}
        fd, tmp = tempfile.mkstemp(prefix=".keys-", suffix=".json", dir=self.path.parent)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(doc, handle, indent=2)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        self._stamp = None

    def create(
        self, name: str, role: Role, *, organisation: str | None = None, region: str | None = None
    ) -> tuple[ApiKey, str]:
        """A new key; the returned plaintext is the only copy there will ever be.

        ``organisation`` and ``region`` are checked for form here; whether they exist in the graph
        is checked by the caller that has the store (``graph.records.check_binding``).
        """
        name = name.strip()
        if not name or len(name) > 200:
            raise InvalidInputError("name", "must be 1-200 characters: say who or what uses the key")
        organisation, region = check_binding_form(role, organisation, region)
        with self._editing() as keys:
            key_id = secrets.token_hex(4)
            while key_id in keys:
                key_id = secrets.token_hex(4)
            secret = secrets.token_urlsafe(32)
            salt = secrets.token_hex(16)
            record = ApiKey(key_id, name, role, datetime.now(UTC).isoformat(timespec="seconds"), None, salt,
                            _digest(salt, secret), organisation, region)
            keys[key_id] = record
        return record, f"{PREFIX}_{key_id}_{secret}"

    def revoke(self, key_id: str) -> ApiKey:
        """Mark a key revoked (kept, so the list still says who had access and until when)."""
        with self._editing() as keys:
            record = keys.get(key_id)
            if record is None:
                raise NotFoundError(f"no API key with id {key_id!r} (see `innograph keys list`)")
            if record.revoked is None:
                record = keys[key_id] = replace(record, revoked=datetime.now(UTC).isoformat(timespec="seconds"))
        return record

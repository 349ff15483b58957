"""Encrypted backup archives: scrypt derives the key, AES-256-GCM seals the data.

File layout::

    MAGIC (8 bytes) | header length (4 bytes, big-endian) | header (JSON, UTF-8) | chunks

The header names the algorithms and their parameters (scrypt n, r, p and salt; the
chunk size; a random nonce prefix) and a key check, so a wrong passphrase is told apart
from a damaged file; an optional ``label`` (strings only) says whose backup it is, so it
can be listed without the passphrase. The data is cut into chunks, each sealed on its own
with the nonce
``prefix (7 bytes) | chunk number (4 bytes) | last-chunk flag (1 byte)`` and the whole
header as associated data: changing, reordering, dropping or appending any byte fails
authentication (the STREAM construction). Memory stays flat however large the archive.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"SDBKENC\x01"
CHUNK = 1 << 20
TAG = 16
SCRYPT_N, SCRYPT_R, SCRYPT_P = 1 << 17, 8, 1
# The scrypt parameters an archive may ask for: at most the cost SocialDesk itself uses
# (128 MiB, about a second), checked before any key is derived. A crafted header asking
# for more (up to 4 GiB and minutes of work) is refused.
MIN_N, MAX_N = 1 << 14, SCRYPT_N
MAX_HEADER = 64 * 1024
MAX_CHUNK = 16 << 20


class DecryptionError(Exception):
    """The archive cannot be decrypted; the message says why (without the path)."""


class WrongPassphrase(DecryptionError):
    """The passphrase does not open this archive."""


@dataclass(frozen=True, slots=True)
class Header:
    """What the cleartext header of an encrypted archive says."""

    raw: bytes
    n: int
    r: int
    p: int
    salt: bytes
    chunk: int
    nonce_prefix: bytes
    key_check: bytes
    label: dict[str, str]


def is_encrypted(path: Path) -> bool:
    """Whether the file starts like an encrypted SocialDesk archive."""
    with path.open("rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> tuple[bytes, bytes]:
    """The AES key and the key check for a passphrase (scrypt, 64 bytes split in two)."""
    material = Scrypt(salt=salt, length=64, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))
    return material[:32], hashlib.sha256(material[32:]).digest()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    return prefix + struct.pack(">I?", number, last)


class EncryptingWriter:
    """A write-only, non-seekable file that encrypts what is written into ``raw``.

    ``zipfile`` writes through it directly (it then adds data descriptors), so the
    cleartext archive never touches the disk. Call :meth:`close` to seal the last chunk.
    """

    def __init__(self, raw: BinaryIO, passphrase: str,
                 label: Mapping[str, str] | None = None) -> None:
        if not passphrase:
            raise ValueError("an empty passphrase cannot protect a backup")
        salt, prefix = os.urandom(16), os.urandom(7)
        key, check = _derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
        header = json.dumps({
            "format": "socialdesk-encrypted-backup", "version": 1,
            "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
                    "salt": _b64(salt)},
            "cipher": {"name": "AES-256-GCM", "chunk": CHUNK, "nonce_prefix": _b64(prefix)},
            "key_check": _b64(check),
            **({"label": dict(label)} if label else {}),
        }, sort_keys=True).encode("utf-8")
        self._aad = MAGIC + struct.pack(">I", len(header)) + header
        self._raw = raw
        self._aead = AESGCM(key)
        self._prefix = prefix
        self._buffer = bytearray()
        self._number = 0
        self.closed = False
        raw.write(self._aad)

    def writable(self) -> bool:
        """Always writable until closed."""
        return True

    def seekable(self) -> bool:
        """Never seekable: the archive is written straight through."""
        return False

    def write(self, data: bytes | bytearray | memoryview) -> int:
        """Buffer ``data`` and seal every full chunk."""
        self._buffer += data
        while len(self._buffer) > CHUNK:  # keep one chunk back: it may be the last
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def flush(self) -> None:
        """Push sealed chunks to the file (the open chunk waits for more data)."""
        self._raw.flush()

    def close(self) -> None:
        """Seal the last chunk (possibly empty) and flush."""
        if self.closed:
            return
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()
        self._raw.flush()
        self.closed = True

    def _seal(self, plain: bytes, *, last: bool) -> None:
        nonce = _nonce(self._prefix, self._number, last)
        self._raw.write(self._aead.encrypt(nonce, plain, self._aad))
        self._number += 1


def read_header(handle: BinaryIO) -> Header:
    """Read and check the cleartext header; raise :class:`DecryptionError` if unusable."""
    if handle.read(len(MAGIC)) != MAGIC:
        raise DecryptionError("is not an encrypted SocialDesk backup.")
    size_bytes = handle.read(4)
    if len(size_bytes) < 4:
        raise DecryptionError("is damaged (its header is cut short).")
    (size,) = struct.unpack(">I", size_bytes)
    if size > MAX_HEADER:
        raise DecryptionError("is damaged (its header is too large).")
    raw = handle.read(size)
    try:
        data = json.loads(raw)
        kdf, cipher = data["kdf"], data["cipher"]
        if data.get("version") != 1 or kdf["name"] != "scrypt" or \
                cipher["name"] != "AES-256-GCM":
            raise DecryptionError(
                "uses an encryption this SocialDesk does not know; update SocialDesk.")
        header = Header(
            raw=MAGIC + size_bytes + raw, n=int(kdf["n"]), r=int(kdf["r"]), p=int(kdf["p"]),
            salt=base64.b64decode(kdf["salt"]), chunk=int(cipher["chunk"]),
            nonce_prefix=base64.b64decode(cipher["nonce_prefix"]),
            key_check=base64.b64decode(data["key_check"]),
            label={str(k): str(v) for k, v in data.get("label", {}).items()},
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise DecryptionError("is damaged (its header cannot be read).") from error
    if not (MIN_N <= header.n <= MAX_N and header.n & (header.n - 1) == 0
            and header.r == SCRYPT_R and header.p == SCRYPT_P and 0 < header.chunk <= MAX_CHUNK
            and len(header.nonce_prefix) == 7 and 16 <= len(header.salt) <= 64):
        raise DecryptionError(
            f"asks for encryption parameters SocialDesk does not accept (scrypt n={header.n}, "
            f"r={header.r}, p={header.p}; SocialDesk writes n={SCRYPT_N}, r={SCRYPT_R}, "
            f"p={SCRYPT_P}). It was not made by SocialDesk, or has been changed.")
    return header


def decrypt(source: BinaryIO, target: BinaryIO, passphrase: str,
            written: Callable[[int], object] | None = None) -> int:
    """Decrypt an archive from ``source`` into ``target``; return the cleartext size.

    Raises :class:`WrongPassphrase` for a wrong passphrase and :class:`DecryptionError`
    for a changed, cut or extended file. ``target`` may hold partial output then; the
    caller discards it. ``written(bytes)`` is told of every chunk written; an exception
    it raises stops the decryption and comes out.
    """
    header = read_header(source)
    key, check = _derive(passphrase, header.salt, header.n, header.r, header.p)
    if not hmac.compare_digest(check, header.key_check):
        raise WrongPassphrase("cannot be opened with this passphrase.")
    aead = AESGCM(key)
    sealed = header.chunk + TAG
    number, total = 0, 0
    current = source.read(sealed)
    while True:
        following = source.read(sealed)
        last = not following
        if len(current) < TAG or (not last and len(current) != sealed):
            raise DecryptionError("is damaged or incomplete (it ends too early).")
        try:
            plain = aead.decrypt(_nonce(header.nonce_prefix, number, last), current, header.raw)
        except InvalidTag as error:
            raise DecryptionError(
                "is damaged or has been changed (its contents fail the authenticity check)."
            ) from error
        target.write(plain)
        total += len(plain)
        if written is not None:
            written(len(plain))
        if last:
            return total
        number += 1
        current = following


def passphrase_opens(path: Path, passphrase: str) -> bool:
    """Whether ``passphrase`` is the one an encrypted archive was made with (quick check)."""
    with path.open("rb") as handle:
        header = read_header(handle)
    _, check = _derive(passphrase, header.salt, header.n, header.r, header.p)
    return hmac.compare_digest(check, header.key_check)

"""A minimal clamd client: the INSTREAM command over TCP or a unix socket.

Protocol (clamd(8)): send ``zINSTREAM\\0``, then the data as chunks, each prefixed by its
length as a 4-byte unsigned integer in network byte order, and a zero-length chunk to end.
clamd answers one NUL-terminated line: ``stream: OK``, ``stream: <signature> FOUND`` or
``… ERROR``.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

CHUNK_SIZE = 64 * 1024
MAX_REPLY = 4096


class ClamdError(Exception):
    """clamd could not be reached, or did not answer as the protocol says."""


@dataclass(frozen=True)
class ClamdAddress:
    family: int
    target: str | tuple[str, int]

    @classmethod
    def parse(cls, url: str) -> ClamdAddress:
        """``tcp://host:port`` or ``unix:///path/to/clamd.sock``; ValueError otherwise."""
        parts = urlsplit(url)
        if parts.scheme == "tcp":
            if not parts.hostname or parts.port is None:
                raise ValueError(f"{url!r}: expected tcp://host:port")
            return cls(
                socket.AF_INET6 if ":" in parts.hostname else socket.AF_INET,
                (parts.hostname, parts.port),
            )
        if parts.scheme == "unix" and parts.path:
            return cls(socket.AF_UNIX, parts.path)
        raise ValueError(f"{url!r}: expected tcp://host:port or unix:///path")


def _read_reply(sock: socket.socket) -> str:
    reply = b""
    while not reply.endswith(b"\0"):
        data = sock.recv(1024)
        if not data:
            break
        reply += data
        if len(reply) > MAX_REPLY:
            raise ClamdError("clamd sent an overlong reply")
    return reply.rstrip(b"\0\n").decode("utf-8", "replace")


def instream(address: ClamdAddress, chunks: Iterable[bytes], *, timeout: float) -> str:
    """Send the data to clamd and return its reply line (e.g. ``"stream: OK"``)."""
    try:
        with socket.socket(address.family, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(address.target)
            sock.sendall(b"zINSTREAM\0")
            for chunk in chunks:
                for start in range(0, len(chunk), CHUNK_SIZE):
                    part = chunk[start : start + CHUNK_SIZE]
                    sock.sendall(struct.pack("!L", len(part)) + part)
            sock.sendall(struct.pack("!L", 0))
            return _read_reply(sock)
    except OSError as exc:
        raise ClamdError(f"clamd at {address.target!r}: {exc}") from exc


def ping(address: ClamdAddress, *, timeout: float) -> bool:
    try:
        with socket.socket(address.family, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(address.target)
            sock.sendall(b"zPING\0")
            return _read_reply(sock) == "PONG"
    except (OSError, ClamdError):
        return False

"""The suite runs offline: pytest-socket (configured in pyproject) blocks every non-loopback connection."""

from __future__ import annotations

import socket

import pytest


def test_outbound_connections_are_blocked():
    from pytest_socket import SocketConnectBlockedError

    with pytest.warns(UserWarning, match="192.0.2.1"), pytest.raises(SocketConnectBlockedError):
        socket.create_connection(("192.0.2.1", 443), timeout=1)  # TEST-NET-1: never routable


def test_loopback_stays_allowed():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname(), timeout=2)
    client.close()
    server.close()

"""A few D-Bus reads (a property, a method without arguments), through QtDBus.

The app already talks to logind over QtDBus (runtime/scheduler.py, SleepWatch). Each read
is one blocking call with a short timeout that never starts a service (D-Bus activation
could start a screen saver or a notification daemon just because we asked). Any error, a
missing bus included, is None: the caller reads that as "this signal says nothing".
Needs a QCoreApplication (QtDBus warns without one); without one, every read is None.
QtDBus connections are thread-safe, so this may be used from a worker thread.
"""

from __future__ import annotations

import logging
from typing import Any, Literal, Protocol

from companion.runtime.presence._run import say_once

Bus = Literal["system", "session"]
TIMEOUT_MS = 500
PROPERTIES = "org.freedesktop.DBus.Properties"


class DBusProbe(Protocol):
    def get(self, bus: Bus, service: str, path: str, interface: str, name: str) -> object | None:
        """A property's value, or None."""
        ...

    def call(self, bus: Bus, service: str, path: str, interface: str, method: str) -> object | None:
        """A method's first return value, or None."""
        ...


class NoDBus:
    def get(self, bus: Bus, service: str, path: str, interface: str, name: str) -> object | None:
        return None

    def call(self, bus: Bus, service: str, path: str, interface: str, method: str) -> object | None:
        return None


class QtDBusProbe:
    """DBusProbe over QtDBus. `addresses` (tests) connects to private buses instead of the
    system and session buses."""

    def __init__(self, addresses: dict[str, str] | None = None) -> None:
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtDBus import QDBus, QDBusConnection, QDBusMessage, QDBusVariant

        self._app = QCoreApplication
        self._qdbus, self._connection, self._message, self._variant = (
            QDBus,
            QDBusConnection,
            QDBusMessage,
            QDBusVariant,
        )
        self._addresses = addresses or {}
        self._buses: dict[str, Any] = {}
        self._names: list[str] = []

    def _bus(self, bus: Bus) -> Any | None:
        if bus in self._buses:
            return self._buses[bus]
        if self._app.instance() is None:
            say_once("dbus:noapp", "no Qt application yet: D-Bus signals are off")
            return None
        address = self._addresses.get(bus)
        connection: Any
        if address is not None:
            name = f"companion-presence-{bus}-{id(self):x}"
            self._names.append(name)
            connection = self._connection.connectToBus(address, name)
        elif bus == "system":
            connection = self._connection.systemBus()
        else:
            connection = self._connection.sessionBus()
        if not connection.isConnected():
            say_once(f"dbus:{bus}", "no D-Bus %s bus: its signals are off", bus)
            connection = None
        self._buses[bus] = connection
        return connection

    def _ask(
        self, bus: Bus, service: str, path: str, interface: str, member: str, *args: str
    ) -> object | None:
        connection = self._bus(bus)
        if connection is None:
            return None
        message = self._message.createMethodCall(service, path, interface, member)
        if args:
            message.setArguments(list(args))
        message.setAutoStartService(False)
        reply = connection.call(message, self._qdbus.CallMode.Block, TIMEOUT_MS)
        if reply.type() != self._message.MessageType.ReplyMessage:
            say_once(
                f"dbus:{service}:{interface}:{args[-1] if args else member}",
                "D-Bus %s (%s) gave no answer: %s",
                service,
                args[-1] if args else member,
                reply.errorName() or "no reply",
                level=logging.DEBUG,
            )
            return None
        values = reply.arguments()
        if not values:
            return None
        value: object = values[0]
        if isinstance(value, self._variant):
            value = value.variant()
        return value

    def close(self) -> None:
        """Leave the private buses given as `addresses` (the system and session buses stay)."""
        for name in self._names:
            self._connection.disconnectFromBus(name)
        self._names.clear()
        self._buses.clear()

    def get(self, bus: Bus, service: str, path: str, interface: str, name: str) -> object | None:
        return self._ask(bus, service, path, PROPERTIES, "Get", interface, name)

    def call(self, bus: Bus, service: str, path: str, interface: str, method: str) -> object | None:
        return self._ask(bus, service, path, interface, method)


def default_probe() -> DBusProbe:
    try:
        return QtDBusProbe()
    except ImportError as exc:  # a Qt without QtDBus
        say_once("dbus:import", "QtDBus is not available (%s): D-Bus signals are off", exc)
        return NoDBus()

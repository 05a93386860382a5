"""A real SMTP server for tests on an explicitly chosen free port."""

from __future__ import annotations

import socket
from typing import Any

from aiosmtpd.controller import Controller

from tests.conftest import MailCollector, SmtpServer


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_smtp_server(settings: Any) -> tuple[Controller, SmtpServer]:
    # aiosmtpd 1.4 checks that its server is up by connecting to the configured port, which
    # fails for port 0; so a free port is chosen first.
    handler = MailCollector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
        }
    }
    return controller, SmtpServer(controller, handler)

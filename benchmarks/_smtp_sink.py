"""A local SMTP server for the benchmarks, in a process of its own: it accepts every message,
counts the messages, recipients and bytes, and keeps nothing.

`python benchmarks/_smtp_sink.py` prints the port it listens on (a free loopback port) and serves
until its standard input closes; then it prints its counts and its own CPU time as JSON and
stops. Its CPU time is not the sender's (a server in the sending process would take turns with it
for the interpreter).

The SMTP of RFC 5321 a client like Python's smtplib (Django's SMTP backend) speaks: EHLO/HELO,
MAIL, RCPT, DATA (the message up to the line with a single dot, dot-stuffing undone), RSET, NOOP,
QUIT, each answered as a mail server answers. It reads the message in blocks, not line by line:
aiosmtpd (the tests' server) spends about 0.9 ms of CPU on each 3 kB digest reading its lines,
which would put the server's pace, not ours, into the figures (a production server such as
Postfix is written in C).
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import threading
from typing import Any

END_OF_DATA = b"\r\n.\r\n"


class Counts:
    messages = 0
    recipients = 0
    bytes = 0
    unsubscribe_headers = 0


class SmtpSession(asyncio.Protocol):
    def __init__(self, counts: Counts) -> None:
        self.counts = counts
        self.buffer = bytearray()
        self.in_data = False
        self.recipients = 0

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        transport.write(b"220 sink.localhost ESMTP\r\n")

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            if self.in_data:
                # the message so far, with the CRLF before the dot (an empty message: ".\r\n")
                end = self.buffer.find(END_OF_DATA)
                if end < 0:
                    return
                self._message(bytes(self.buffer[:end]))
                del self.buffer[: end + len(END_OF_DATA)]
                self.in_data = False
                self.transport.write(b"250 2.0.0 Ok: queued\r\n")
                continue
            end = self.buffer.find(b"\r\n")
            if end < 0:
                return
            line = bytes(self.buffer[:end])
            del self.buffer[: end + 2]
            self._command(line)

    def _command(self, line: bytes) -> None:
        verb = line[:4].upper()
        if verb == b"EHLO":
            self.transport.write(b"250-sink.localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
        elif verb == b"HELO":
            self.transport.write(b"250 sink.localhost\r\n")
        elif verb == b"MAIL":
            self.recipients = 0
            self.transport.write(b"250 2.1.0 Ok\r\n")
        elif verb == b"RCPT":
            self.recipients += 1
            self.transport.write(b"250 2.1.5 Ok\r\n")
        elif verb == b"DATA":
            self.in_data = True
            # a message whose first line is the dot: the buffer starts with it
            self.buffer[:0] = b"\r\n"
            self.transport.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
        elif verb in (b"RSET", b"NOOP"):
            self.transport.write(b"250 2.0.0 Ok\r\n")
        elif verb == b"QUIT":
            self.transport.write(b"221 2.0.0 Bye\r\n")
            self.transport.close()
        else:
            self.transport.write(b"502 5.5.2 Command not recognised\r\n")

    def _message(self, content: bytes) -> None:
        content = content.replace(b"\r\n..", b"\r\n.")[2:]  # dot-stuffing; the CRLF put before
        counts = self.counts
        counts.messages += 1
        counts.recipients += self.recipients
        counts.bytes += len(content)
        # every digest carries RFC 8058's header: counted, so a run that lost it shows it
        if b"\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in content:
            counts.unsubscribe_headers += 1


def main() -> None:
    counts = Counts()
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(
        loop.create_server(lambda: SmtpSession(counts), "127.0.0.1", 0)
    )
    print(server.sockets[0].getsockname()[1], flush=True)

    def wait_for_the_end() -> None:
        sys.stdin.read()  # until the benchmark closes the pipe
        loop.call_soon_threadsafe(loop.stop)

    threading.Thread(target=wait_for_the_end, daemon=True).start()
    try:
        loop.run_forever()
    finally:
        server.close()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "messages": counts.messages,
                "recipients": counts.recipients,
                "bytes": counts.bytes,
                "unsubscribe_headers": counts.unsubscribe_headers,
                "cpu": usage.ru_utime + usage.ru_stime,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()

"""Mail servers that refuse: a Django backend that refuses every message (for in-process
tests), and the handler of a real SMTP server process that refuses, then accepts."""

import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("server surat menolak sambungan")


class Greylist:
    """The handler of a real SMTP server process (aiosmtpd) that refuses each recipient the
    first ``refusals`` times with a temporary 451, as a greylisting server does, then accepts.

    Run as ``python -m aiosmtpd -n -l 127.0.0.1:PORT -c tests.failing_mail.Greylist FOLDER N``.
    Every attempt is a line in ``FOLDER/attempts.log`` (Unix time, recipient, outcome); every
    accepted message is written to ``FOLDER/<n>.eml``.
    """

    def __init__(self, folder, refusals):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.refusals = refusals
        self.seen = {}
        self.received = 0

    @classmethod
    def from_cli(cls, parser, folder, refusals="2"):
        return cls(folder, int(refusals))

    def _log(self, address, outcome):
        with open(self.folder / "attempts.log", "a") as log:
            log.write(f"{time.time():.3f} {address} {outcome}\n")

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.seen[address] = self.seen.get(address, 0) + 1
        if self.seen[address] <= self.refusals:
            self._log(address, "ditolak")
            return "451 4.7.1 Greylisted, coba lagi nanti"
        self._log(address, "diterima")
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        (self.folder / f"{self.received}.eml").write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"

"""A real STARTTLS SMTP server for the tests: Debian's aiosmtpd (python3-aiosmtpd) on 127.0.0.1.

Run with /usr/bin/python3. Prints "PORT <n>" once it accepts connections, then runs until its
standard input closes (or it is killed). Everything it sees goes to the folder given with --dir:
events.log gets one line per STARTTLS, AUTH and MAIL command, and each accepted message is saved
as message-<n>.eml, exactly as received.
"""
import argparse
import itertools
import ssl
import sys
import threading
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

args = argparse.ArgumentParser()
args.add_argument("--dir", type=Path, required=True)
args.add_argument("--port", type=int, default=0, help="0 picks a free port")
args.add_argument("--cert", help="PEM certificate; without it the server offers no STARTTLS")
args.add_argument("--key", help="PEM private key of --cert")
args.add_argument("--require-starttls", action="store_true", help="refuse MAIL and AUTH before STARTTLS")
args.add_argument("--user", required=True)
args.add_argument("--password", required=True)
args.add_argument("--exclude-auth", action="append", default=[], help="an AUTH mechanism not to offer")
opts = args.parse_args()

lock = threading.Lock()
numbers = itertools.count(1)


def record(line):
    with lock, open(opts.dir / "events.log", "a", encoding="utf-8") as f:
        f.write(line + "\n")


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword)
          and auth_data.login == opts.user.encode() and auth_data.password == opts.password.encode())
    record(f"AUTH-{mechanism} {'accepted' if ok else 'rejected'}")
    return AuthResult(success=ok, handled=False)  # not handled: aiosmtpd answers 235 or 535


class Handler:
    async def handle_MAIL(self, server, session, envelope, address, options):
        record(f"MAIL {'tls' if session.ssl else 'plain'} authenticated={bool(session.authenticated)}")
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        (opts.dir / f"message-{next(numbers)}.eml").write_bytes(envelope.original_content)
        return "250 Message accepted"


class RecordingSMTP(SMTP):
    """Notes every AUTH and STARTTLS command, even those refused before the handler is asked."""

    async def smtp_AUTH(self, arg):
        record(f"AUTH {'tls' if self.session.ssl else 'plain'}")
        await super().smtp_AUTH(arg)

    async def smtp_STARTTLS(self, arg):
        record("STARTTLS")
        await super().smtp_STARTTLS(arg)


class RecordingController(Controller):
    def factory(self):
        return RecordingSMTP(self.handler, **self.SMTP_kwargs)

    def _trigger_server(self):
        # with --port 0 the system picked the port: learn it before the start-up probe connects
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


tls_context = None
if opts.cert:
    tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls_context.load_cert_chain(opts.cert, opts.key)

controller = RecordingController(
    Handler(), hostname="127.0.0.1", port=opts.port, server_hostname="localhost",
    tls_context=tls_context, require_starttls=opts.require_starttls,
    authenticator=authenticator, auth_require_tls=True, auth_exclude_mechanism=opts.exclude_auth)
controller.start()
print(f"PORT {controller.port}", flush=True)
try:
    sys.stdin.read()  # until the test closes our standard input, or its JVM exits
finally:
    controller.stop()

"""The e-mail outbox (decision 0049): confirmations sent per second by ONE worker process.

A local SMTP sink (aiosmtpd on uvloop, its own process, 127.0.0.1:BENCH_SMTP_PORT,
default 8811) accepts everything and counts each recipient. In a scratch PostgreSQL
database (`solidaire_bench_outbox`, dropped afterwards) N petition confirmation e-mails
(default 20,000, two thirds French) are rendered and stored with `emails_enqueue`, then
one `solidaire worker --batch --queue-name email` process (production settings, SMTP
from the SOLIDAIRE_EMAIL_* environment, Redis DB 11 for the cache) sends them all and
exits. Printed: e-mails per second from the worker's start to its exit (the figure held
to the 300/s target), and over the sending alone (the sink's first to last message).

Baseline in the same run: the old way, one SMTP connection per message — Django's
`send_mail` in a loop (default 2,000 messages of the same size, one process, and no
database work at all, which the old job per e-mail also paid).

On loopback a connection costs almost nothing, so the round is repeated over STARTTLS
(a self-signed certificate; `--tls-emails`, default 5,000, and a quarter of the
baseline): production talks to a relay with STARTTLS, and that handshake per message is
what the old way paid.

    python bench/bench_outbox.py [--emails 20000] [--baseline 2000] [--tls-emails 5000]

Checks: the sink received each recipient exactly once and no row is left pending.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/solidaire")
SERVER = PG_URL.rsplit("/", 1)[0]
DB = "solidaire_bench_outbox"
SMTP_PORT = int(os.environ.get("BENCH_SMTP_PORT", "8811"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
TARGET = 300  # e-mails per second


# The sink: `python bench/bench_outbox.py --sink PORT STATS_FILE [CERT KEY]` (its own
# process, so that it does not share the measured process's interpreter lock; with a
# certificate it offers STARTTLS).


class CountingHandler:
    def __init__(self):
        self.recipients: Counter[str] = Counter()
        self.messages = 0
        self.first = self.last = 0.0

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it so
        now = time.time()
        self.first = self.first or now
        self.last = now
        self.messages += 1
        self.recipients.update(envelope.rcpt_tos)
        return "250 Message accepted"


def sink(port: int, stats_file: str, cert: tuple[str, str] | None) -> None:
    import ssl

    import uvloop
    from aiosmtpd.controller import Controller

    tls = None
    if cert:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(*cert)
    handler = CountingHandler()
    # uvloop: the sink should be the cheapest part of the chain, not its ceiling.
    controller = Controller(handler, hostname="127.0.0.1", port=port,
                            loop=uvloop.new_event_loop(), tls_context=tls)
    controller.start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    print("ready", flush=True)
    done.wait()
    controller.stop()
    Path(stats_file).write_text(json.dumps({
        "messages": handler.messages, "recipients": len(handler.recipients),
        "twice": sum(1 for count in handler.recipients.values() if count > 1),
        "seconds": handler.last - handler.first,
    }))


class Sink:
    """Start the sink process; `stop()` returns what it counted."""

    def __init__(self, cert: tuple[str, str] | None = None):
        self.stats = Path(tempfile.mkstemp(prefix="solidaire-bench-sink-")[1])
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--sink", str(SMTP_PORT), str(self.stats), *(cert or ())],
            stdout=subprocess.PIPE, text=True)
        if self.process.stdout.readline().strip() != "ready":
            raise SystemExit("the SMTP sink did not start")

    def stop(self) -> dict:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        stats = json.loads(self.stats.read_text())
        self.stats.unlink()
        return stats


# The bench itself.


def admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def environment(var_dir: str) -> dict[str, str]:
    keyring = json.dumps({"version": 1, "shredded": [], "keys": [{
        "id": "status-bench", "purpose": "status", "primary": True,
        "key": base64.b64encode(secrets.token_bytes(32)).decode("ascii"),
        "created": "2026-11-21T00:00:00+00:00",
    }]})
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOLIDAIRE_")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "solidaire.settings.production",
        "DATABASE_URL": f"{SERVER}/{DB}",
        "SOLIDAIRE_SECRET_KEY": secrets.token_urlsafe(50),
        "SOLIDAIRE_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SOLIDAIRE_SITE_URL": "http://127.0.0.1",
        "SOLIDAIRE_FIELD_KEYS": keyring,
        "SOLIDAIRE_CACHE_URL": REDIS_URL,
        "SOLIDAIRE_SSL_REDIRECT": "false",
        "SOLIDAIRE_VAR_DIR": var_dir,
        "SOLIDAIRE_EMAIL_HOST": "127.0.0.1",
        "SOLIDAIRE_EMAIL_PORT": str(SMTP_PORT),
        "SOLIDAIRE_EMAIL_TLS": "false",
    })
    return env


# Run inside `solidaire shell`: a petition, then N confirmation e-mails in chunks of
# 1,000 (as the signature job writes them), timed.
CREATE = """
import time
from django.db import transaction
from solidaire.campaigns.models import Publication
from solidaire.core.outbox import emails_enqueue
from solidaire.organizing.models import Organization
from solidaire.petitions.models import Petition
org = Organization.objects.create(name="Centre des travailleurs immigrants", slug="bench",
                                  is_host=True)
petition = Petition.objects.create(slug="bench", organization=org, status=Publication.OPEN,
    title={"en": "Health care and income support for migrant students",
           "fr": "Soins de santé et soutien du revenu pour les étudiants migrants"},
    summary={"en": "Act now.", "fr": "Agissez maintenant."}, body={"en": "…", "fr": "…"})
started = time.perf_counter()
for chunk in range(0, N, 1000):
    with transaction.atomic():
        emails_enqueue(emails=[{
            "to": f"signer{n}@bench.example.org",
            "subject_template": "petitions/email/confirm_subject.txt",
            "body_template": "petitions/email/confirm.txt",
            "context": {"petition": petition, "name": f"Signataire {n}",
                        "confirm_url": f"https://example.org/fr/petitions/bench/confirm/{n}/",
                        "page_url": "https://example.org/fr/petitions/bench/"},
            "language": "fr" if n % 3 else "en", "kind": "petition.confirm",
        } for n in range(chunk, min(N, chunk + 1000))])
print(f"{time.perf_counter() - started:.2f}")
"""

# The old way: one connection per message (send_mail opens, sends and closes each time).
BASELINE = """
import time
from django.core.mail import send_mail
from solidaire.core.models import OutboxEmail
email = OutboxEmail.objects.order_by("pk").first()
started = time.perf_counter()
for n in range(M):
    send_mail(email.subject, email.body_text, None, [f"baseline{n}@bench.example.org"])
print(f"{time.perf_counter() - started:.2f}")
"""


# Put `count` sent e-mails back to pending and ask for a job, as a commit would.
RESEND = """
def resend(count):
    from solidaire.core.models import OutboxEmail
    from solidaire.core.outbox import outbox_schedule
    ids = list(OutboxEmail.objects.order_by("pk").values_list("pk", flat=True)[:count])
    OutboxEmail.objects.filter(pk__in=ids).update(status="pending", attempts=0, sent_at=None)
    outbox_schedule()
    print(len(ids))
"""


def tls_files(var_dir: str) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1: (certificate, key) file paths."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256()))
    cert_file, key_file = Path(var_dir) / "sink-cert.pem", Path(var_dir) / "sink-key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return str(cert_file), str(key_file)


def shell(env: dict, code: str) -> str:
    out = subprocess.run([str(PYTHON), "-m", "solidaire", "shell", "--no-imports", "-c", code],
                         env=env, check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def wait_for_jobs(env: dict) -> None:
    """The jobs asked for on commit run a second later (decision 0049); a --batch worker
    started before then would find none ready and exit."""
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as conn:
        (latest,) = conn.execute(
            "SELECT extract(epoch FROM max(run_after)) FROM django_tasks_database_dbtaskresult"
            " WHERE status = 'READY' AND run_after < '9999-01-01'").fetchone()
    if latest:
        time.sleep(max(0.0, float(latest) - time.time()) + 0.1)


def send_round(env: dict, var_dir: str, *, emails: int, baseline_count: int,
               tls: bool) -> tuple[float, float, bool]:
    """The baseline, then the worker on `emails` pending e-mails; returns both rates per
    second and whether the checks passed."""
    cert = tls_files(var_dir) if tls else None
    if tls:
        env = {**env, "SOLIDAIRE_EMAIL_TLS": "true", "SSL_CERT_FILE": cert[0]}
    label = "STARTTLS" if tls else "plain SMTP"
    sink = Sink(cert)
    try:
        seconds = float(shell(env, f"M = {baseline_count}\n{BASELINE}"))
    finally:
        base_stats = sink.stop()
    baseline = baseline_count / seconds
    print(f"  baseline, {label} — Django send_mail, one connection per message: "
          f"{baseline_count:,} in {seconds:.1f} s = {baseline:,.0f} e-mails/s "
          f"(sink received {base_stats['messages']:,})")

    wait_for_jobs(env)
    load = os.getloadavg()[0]
    sink = Sink(cert)
    log = Path(var_dir) / "worker.log"
    try:
        started = time.perf_counter()
        with log.open("w") as output:
            code = subprocess.call(
                [str(PYTHON), "-m", "solidaire", "worker", "--batch", "--queue-name", "email"],
                env=env, stdout=output, stderr=subprocess.STDOUT)
        wall = time.perf_counter() - started
    finally:
        stats = sink.stop()
    if code:
        print(log.read_text()[-3000:])
    rate = stats["messages"] / wall
    sending = stats["messages"] / stats["seconds"] if stats["seconds"] else float("nan")
    print(f"  outbox, {label} — one `solidaire worker --batch --queue-name email` process: "
          f"{stats['messages']:,} in {wall:.1f} s from start to exit = {rate:,.0f} e-mails/s; "
          f"sending alone {stats['seconds']:.1f} s = {sending:,.0f}/s")
    print(f"  ratio: {rate / baseline:.1f}× the old way; load average {load:.1f} on "
          f"{os.cpu_count()} cores when the worker started (shared with the sink and "
          f"PostgreSQL)")

    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as conn:
        rows = dict(conn.execute(
            "SELECT status, count(*) FROM core_outboxemail GROUP BY status").fetchall())
    ok = (code == 0 and stats["messages"] == emails == stats["recipients"]
          and stats["twice"] == 0 and rows.get("pending", 0) == 0)
    print(f"  check: sink received {stats['messages']:,} messages for "
          f"{stats['recipients']:,} recipients, {stats['twice']} twice; rows by status "
          f"{rows}; worker exit {code}")
    return rate, baseline, ok


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--emails", type=int,
                        default=int(os.environ.get("BENCH_OUTBOX_EMAILS", "20000")))
    parser.add_argument("--baseline", type=int, default=2000,
                        help="messages sent the old way (default: %(default)s)")
    parser.add_argument("--tls-emails", type=int, default=5000,
                        help="e-mails sent again over STARTTLS (0: skip; default: %(default)s)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    admin(f"DROP DATABASE IF EXISTS {DB}")
    admin(f"CREATE DATABASE {DB}")
    var_dir = tempfile.mkdtemp(prefix="solidaire-bench-outbox-")
    env = environment(var_dir)
    subprocess.run(["redis-cli", "-u", REDIS_URL, "FLUSHDB"], check=False, capture_output=True)
    subprocess.run([str(PYTHON), "-m", "solidaire", "migrate", "--verbosity", "0"], env=env,
                   check=True)
    try:
        seconds = float(shell(env, f"N = {args.emails}\n{CREATE}"))
        print(f"emails_enqueue: {args.emails:,} confirmation e-mails rendered and stored in "
              f"{seconds:.1f} s ({args.emails / seconds:,.0f}/s), chunks of 1,000")
        print(f"plain SMTP to a sink on 127.0.0.1:{SMTP_PORT} (the target: {TARGET}/s)")
        rate, _baseline, ok = send_round(env, var_dir, emails=args.emails,
                                         baseline_count=args.baseline, tls=False)
        if args.tls_emails:
            # Production talks to a relay with STARTTLS: the handshake the old way paid
            # for every message. The same e-mails again, a fresh job for them.
            shell(env, f"{RESEND}\nresend({args.tls_emails})")
            print("STARTTLS (self-signed certificate, trusted through SSL_CERT_FILE)")
            _rate, _baseline, tls_ok = send_round(
                env, var_dir, emails=args.tls_emails, baseline_count=args.baseline // 4,
                tls=True)
            ok = ok and tls_ok
    finally:
        if not args.keep:
            admin(f"DROP DATABASE IF EXISTS {DB}")
    passed = ok and rate >= TARGET
    print("PASS" if passed else f"FAIL (target {TARGET}/s, checks {'passed' if ok else 'failed'})")
    return 0 if passed else 1


if __name__ == "__main__":
    if len(sys.argv) in (4, 6) and sys.argv[1] == "--sink":
        sink(int(sys.argv[2]), sys.argv[3], tuple(sys.argv[4:]) or None)
    else:
        sys.exit(main())

"""The admin CLI: ``customer-service --help``."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import getpass
import logging
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from adapters.clock import SystemClock
from adapters.embedded_store import EmbeddedStoreError
from adapters.legacy_export import lines_of, read_export
from adapters.security.keys import KeyRing
from customer_core import Customer
from customer_core.addresses import Address
from customer_core.clients import Scope, ServiceClient
from customer_core.errors import DependencyUnavailable, DomainError, NotFound, ValidationFailed
from customer_core.outbox import Status
from customer_core.records import Event
from customer_core.use_cases.orders import totals_of
from customer_core.values import as_id
from entrypoints.bootstrap import Wiring, bootstrap
from entrypoints.runtime import CannotListen, configure_logging, running, store, store_in_use
from entrypoints.settings import MAX_WORKERS, Settings, SettingsError
from entrypoints.shapes import iso, json_text, to_json

app = typer.Typer(help="Customer accounts and authentication service.", no_args_is_help=True)
customers_app = typer.Typer(help="Find, inspect, disable and enable customers.", no_args_is_help=True)
sessions_app = typer.Typer(help="End customers' sessions.", no_args_is_help=True)
keys_app = typer.Typer(help="Access-token signing keys.", no_args_is_help=True)
addresses_app = typer.Typer(help="Customers' address books.", no_args_is_help=True)
outbox_app = typer.Typer(help="Outgoing messages: status, delivery, dead messages.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit trail: who did what, when, from where.", no_args_is_help=True)
clients_app = typer.Typer(
    help="Service clients: other services that call the internal API with OAuth client credentials.",
    no_args_is_help=True,
)
app.add_typer(customers_app, name="customers")
app.add_typer(sessions_app, name="sessions")
app.add_typer(keys_app, name="keys")
app.add_typer(addresses_app, name="addresses")
app.add_typer(outbox_app, name="outbox")
app.add_typer(audit_app, name="audit")
app.add_typer(clients_app, name="clients")

# The CLI's one error table: error -> exit code (2 is also Typer's usage error).
EXIT_CODES: dict[type[Exception], int] = {
    ValidationFailed: 2,
    SettingsError: 2,
    NotFound: 3,
    DependencyUnavailable: 4,
    EmbeddedStoreError: 4,
    CannotListen: 5,
    DomainError: 1,
}

F = TypeVar("F", bound=Callable[..., Any])
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]
CustomerArg = Annotated[str, typer.Argument(help="Customer id or email.")]
OperatorOption = Annotated[
    str | None, typer.Option("--operator", help="Who you are, for the audit trail (default: your OS user name).")
]


def handles_errors(command: F) -> F:
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except tuple(EXIT_CODES) as error:
            code = next(code for cls, code in EXIT_CODES.items() if isinstance(error, cls))
            typer.echo(f"error: {'invalid input' if isinstance(error, ValidationFailed) else error}", err=True)
            for problem in getattr(error, "errors", ()):
                typer.echo(f"  {problem.field}: {problem.message}", err=True)
            raise typer.Exit(code) from None

    return wrapper  # type: ignore[return-value]


def operator_name(given: str | None) -> str:
    if given and given.strip():
        return given.strip()[:100]
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid, e.g. in a container
        return f"uid {os.getuid()}"


def settings() -> Settings:
    return Settings.from_env(os.environ)


@contextlib.contextmanager
def opened(config: Settings, *, create_store: bool = False) -> Iterator[Wiring]:
    """The service's store for one command, said on stderr. A command never
    starts a new, empty embedded store unless ``create_store`` (an import):
    in the wrong directory it would quietly show nothing."""
    typer.echo(f"store: {store_in_use(config)}", err=True)
    with running(config, create_store=create_store) as wiring:
        yield wiring


def customer_record(customer: Customer, locked_until: dt.datetime | None) -> dict[str, Any]:
    """The customer as the API shows it, and whether it is locked out."""
    return {**to_json(customer), "lockedUntil": iso(locked_until) if locked_until else None}


def address_record(address: Address) -> dict[str, Any]:
    """The address as the API shows it, and whose it is."""
    return {"customerId": address.customer_id, **to_json(address)}


def echo_json(value: Any) -> None:
    typer.echo(json_text(value, indent=2))


def echo_record(record: dict[str, Any], *, as_json: bool) -> None:
    """One record: JSON, or a ``key: value`` line each (values as in JSON)."""
    if as_json:
        echo_json(record)
        return
    width = max(map(len, record))
    for key, value in record.items():
        shown = value if isinstance(value, str) else json_text(value)
        typer.echo(f"{key:>{width}}: {shown}")


@app.command()
@handles_errors
def serve(
    workers: Annotated[
        int | None, typer.Option(min=1, max=MAX_WORKERS, help="Worker processes on the one port (CS_WORKERS).")
    ] = None,
) -> None:
    """Serve the HTTP API (CS_HOST:CS_PORT); starts the embedded store when CS_MONGODB_URI is unset."""
    import uvicorn

    from entrypoints.http import create_app
    from entrypoints.http.serving import claim_port, listening_socket, run_workers

    config = settings()
    configure_logging(config.log_level, config.log_format)
    if warning := config.public_url_mismatch():
        logging.getLogger("customer_service").warning(warning)
    # Forwarding headers are read by the app itself, from CS_TRUSTED_PROXIES
    # only; requests are logged by the app too (request_metrics), with more to say.
    options: dict[str, Any] = dict(
        host=config.host, port=config.port, log_config=None, access_log=False, proxy_headers=False
    )
    processes = workers or config.workers
    # Taken before anything starts, so that a busy port is an error at once; with
    # workers, held (bound, not listening) until they stop, with the port's
    # claim, so that no other instance joins them on it.
    listening = listening_socket(config.host, config.port, shared=processes > 1)
    claim = claim_port(config.host, config.port) if processes > 1 else None
    logging.getLogger("customer_service").info(
        "serving http://%s:%s (%d worker process%s)", config.host, config.port, processes, "es" * (processes > 1)
    )
    with store(config, share=False) as connected, listening, claim or contextlib.nullcontext():
        wiring = bootstrap(connected)  # keys, data keys and indexes made once, before any worker starts
        if processes == 1:
            # uvicorn re-raises SIGTERM after its graceful shutdown; turning it into
            # SystemExit lets the embedded store stop cleanly too, after the API.
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            try:
                uvicorn.Server(uvicorn.Config(create_app(wiring), **options)).run(sockets=[listening])
            finally:
                wiring.close()
            return
        wiring.close()
        os.environ["CS_MONGODB_URI"] = str(connected.mongodb_uri)  # the workers share this store
        os.environ["CS_WORKERS"] = str(processes)  # each sizes its hashing to its share of the cores
        with tempfile.TemporaryDirectory(prefix="customer-service-metrics-") as samples:
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = samples  # /metrics of any worker speaks for all
            code = run_workers(processes, **options)
    if code:
        raise typer.Exit(code)


@customers_app.command("list")
@handles_errors
def list_customers(
    email_prefix: Annotated[str, typer.Option(help="Only emails starting with this.")] = "",
    after: Annotated[str | None, typer.Option(help="Page after this customer id.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    as_json: JsonOption = False,
    operator: OperatorOption = None,
) -> None:
    """List customers by id, a page at a time."""
    with opened(settings()) as wiring:
        page = wiring.service.admin.list_customers(
            email_prefix=email_prefix, after_id=after, limit=limit, operator=operator_name(operator)
        )
        rows = [customer_record(c, wiring.service.admin.locked_until(c)) for c in page]
    next_after = rows[-1]["id"] if len(rows) == limit else None
    if as_json:
        echo_json({"items": rows, "nextAfter": next_after})
        return
    if not rows:
        typer.echo("no customers" + (f" with an email starting {email_prefix!r}" if email_prefix else ""))
    for row in rows:
        typer.echo(f"{row['id']}  {row['email']:<40} {'active' if row['isActive'] else 'DISABLED'}")
    if next_after:
        typer.echo(f"-- more: --after {next_after}")


@customers_app.command("show")
@handles_errors
def show_customer(customer: CustomerArg, as_json: JsonOption = False, operator: OperatorOption = None) -> None:
    """Show one customer."""
    with opened(settings()) as wiring:
        found = wiring.service.admin.view(customer, operator=operator_name(operator))
        record = customer_record(found, wiring.service.admin.locked_until(found))
    echo_record(record, as_json=as_json)


@customers_app.command("metrics")
@handles_errors
def customer_metrics(customer: CustomerArg, as_json: JsonOption = False, operator: OperatorOption = None) -> None:
    """A customer's completed orders, what they spent and their loyalty points."""
    with opened(settings()) as wiring:
        found = wiring.service.admin.view(customer, operator=operator_name(operator))
    echo_record({"id": found.id, **to_json(totals_of(found))}, as_json=as_json)


@customers_app.command("disable")
@handles_errors
def disable_customer(customer: CustomerArg, operator: OperatorOption = None) -> None:
    """Disable an account and end all its sessions at once."""
    with opened(settings()) as wiring:
        updated = wiring.service.admin.set_active(customer, False, operator=operator_name(operator))
    typer.echo(f"disabled {updated.id} ({updated.email}); its sessions are ended")


@customers_app.command("enable")
@handles_errors
def enable_customer(customer: CustomerArg, operator: OperatorOption = None) -> None:
    """Enable a disabled account; also lifts a lockout."""
    with opened(settings()) as wiring:
        updated = wiring.service.admin.set_active(customer, True, operator=operator_name(operator))
    typer.echo(f"enabled {updated.id} ({updated.email})")


@customers_app.command("import")
@handles_errors
def import_customers(
    file: Annotated[
        typer.FileBinaryRead, typer.Argument(help="mongoexport output, one customer per line ('-': stdin).")
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and count; write nothing.")] = False,
    as_json: JsonOption = False,
    operator: OperatorOption = None,
) -> None:
    """Import the customers of the previous (Node.js) service, keeping their
    ids and old passwords (upgraded at their first login). Customers already
    here are skipped, so an import can run again."""
    with opened(settings(), create_store=True) as wiring:
        lines = read_export(lines_of(file), now=SystemClock().now())
        report = wiring.service.admin.import_customers(lines, dry_run=dry_run, operator=operator_name(operator))
    rejections = [{"line": rejected.line, "reason": rejected.reason} for rejected in report.rejected]
    if as_json:
        echo_json(
            {
                "dryRun": dry_run,
                "imported": report.imported,
                "duplicates": len(report.duplicate_lines),
                "rejected": len(rejections),
                "duplicateLines": report.duplicate_lines,
                "rejections": rejections,
            }
        )
        return
    for rejection in rejections:
        typer.echo(f"line {rejection['line']}: rejected: {rejection['reason']}")
    verb = "would import" if dry_run else "imported"
    typer.echo(
        f"{verb} {report.imported}, skipped {len(report.duplicate_lines)} duplicate(s), rejected {len(rejections)}"
    )


@customers_app.command("consent")
@handles_errors
def record_consent(
    customer: CustomerArg,
    newsletter: Annotated[bool | None, typer.Option("--newsletter/--no-newsletter", help="Newsletter consent.")] = None,
    sms: Annotated[bool | None, typer.Option("--sms/--no-sms", help="SMS notifications consent.")] = None,
    operator: OperatorOption = None,
) -> None:
    """Record a consent the customer gave or withdrew elsewhere (in a shop,
    by phone): their preference changes, with source admin."""
    if newsletter is None and sms is None:
        raise ValidationFailed.single("consent", "give --newsletter/--no-newsletter or --sms/--no-sms")
    with opened(settings()) as wiring:
        preferences = wiring.service.admin.set_consents(
            customer, newsletter=newsletter, sms=sms, operator=operator_name(operator)
        )
    typer.echo(f"newsletter: {str(preferences.newsletter).lower()}, sms: {str(preferences.sms_notifications).lower()}")


@customers_app.command("export")
@handles_errors
def export_customer(
    customer: CustomerArg,
    output: Annotated[Path | None, typer.Option(help="Write to this file (readable by you only); else print.")] = None,
    operator: OperatorOption = None,
) -> None:
    """Everything held about a customer, as one JSON document (GDPR articles 15 and 20).
    The file is written whole or not at all, as a new file readable by you
    only (an existing file or link there is replaced, not written through)."""
    with contextlib.ExitStack() as cleanup:
        if output is not None:
            if output.is_dir():
                raise ValidationFailed.single("output", f"{output} is a directory: name a file")
            try:  # before exporting: a path that cannot be written is found before the export is recorded
                descriptor, temporary = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.")
            except OSError as error:
                raise ValidationFailed.single("output", f"cannot write there: {error.strerror}") from None
            cleanup.callback(lambda: Path(temporary).unlink(missing_ok=True))
        with opened(settings()) as wiring:
            document = to_json(wiring.service.admin.export_customer(customer, operator=operator_name(operator)))
        text = json_text(document, indent=2) + "\n"
        if output is None:
            typer.echo(text, nl=False)
            return
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, output)
    typer.echo(f"wrote {output}", err=True)


@customers_app.command("erase")
@handles_errors
def erase_customer(
    customer: CustomerArg,
    yes: Annotated[bool, typer.Option("--yes", help="Yes, erase: it cannot be undone.")] = False,
    operator: OperatorOption = None,
) -> None:
    """Erase a customer's account and personal data for good (GDPR article 17);
    an account_deleted email goes to the address it had."""
    if not yes:
        raise ValidationFailed.single("yes", "erasing cannot be undone: add --yes to go ahead")
    with opened(settings()) as wiring:
        pseudonym = wiring.service.admin.erase(customer, operator=operator_name(operator))
    typer.echo(f"erased; its audit entries now name {pseudonym}")


@sessions_app.command("revoke")
@handles_errors
def revoke_sessions(customer: CustomerArg, operator: OperatorOption = None) -> None:
    """End every session of a customer; their tokens stop working at once."""
    with opened(settings()) as wiring:
        count = wiring.service.admin.revoke_sessions(customer, operator=operator_name(operator))
    typer.echo(f"ended {count} session(s)")


@keys_app.command("rotate")
@handles_errors
def rotate_keys(operator: OperatorOption = None) -> None:
    """Start signing with a new key. Older keys keep verifying until the
    tokens they signed have expired (CS_ACCESS_TOKEN_TTL), then are removed."""
    config = settings()
    with opened(config) as wiring:
        key = KeyRing(config.signing_keys_dir).rotate(SystemClock().now(), retire_after=config.access_ttl)
        wiring.service.admin.record(Event.SIGNING_KEY_ROTATED, operator=operator_name(operator), kid=key.kid)
    typer.echo(f"now signing with {key.kid}")


@keys_app.command("rotate-data-key")
@handles_errors
def rotate_data_key(
    batch_size: Annotated[int, typer.Option(min=1, max=10_000, help="Documents read per batch.")] = 200,
    operator: OperatorOption = None,
) -> None:
    """Seal every encrypted field with a new data key, in batches, while the
    service keeps serving. Interrupted, run it again: it resumes."""
    with opened(settings()) as wiring:
        rotation = wiring.data_key_rotation
        if rotation is None:
            raise ValidationFailed.single("storage", "in-memory storage keeps nothing sealed")
        resealed: dict[str, int] = {}

        def report(collection: str, count: int) -> None:
            resealed[collection] = resealed.get(collection, 0) + count
            typer.echo(f"{collection}: {resealed[collection]} value(s) resealed so far", err=True)

        kid = rotation.run(SystemClock().now(), after_batch=report, batch_size=batch_size)
        wiring.service.admin.record(Event.DATA_KEY_ROTATED, operator=operator_name(operator), kid=kid)
    for value in rotation.unopenable:
        typer.echo(f"warning: left as it is, does not open: {value}", err=True)
    total = sum(resealed.values())
    typer.echo(f"every sealed value is now under data key {kid} ({total} resealed in this run)")


@keys_app.command("list")
@handles_errors
def list_keys(as_json: JsonOption = False) -> None:
    """Every key, oldest first, with its role (public keys: not audited)."""
    config = settings()
    keys = KeyRing(config.signing_keys_dir).all()
    rows = []
    for index, key in enumerate(keys):
        successor = keys[index + 1] if index + 1 < len(keys) else None
        rows.append(
            {
                "kid": key.kid,
                "createdAt": iso(key.created_at),
                "status": "signing" if successor is None else "verifying",
                "retiresAt": iso(successor.created_at + config.access_ttl) if successor else None,
            }
        )
    if as_json:
        echo_json(rows)
        return
    if not rows:
        typer.echo("no keys yet: one is made when the service first starts, or by 'keys rotate'")
    for row in rows:
        retire = f" (verifies until {row['retiresAt']})" if row["retiresAt"] else ""
        typer.echo(f"{row['kid']}  {row['status']}{retire}")


@addresses_app.command("list")
@handles_errors
def list_addresses(customer: CustomerArg, as_json: JsonOption = False, operator: OperatorOption = None) -> None:
    """A customer's addresses, defaults first."""
    with opened(settings()) as wiring:
        rows = [address_record(a) for a in wiring.service.admin.addresses(customer, operator=operator_name(operator))]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        usages = [usage for usage in ("shipping", "billing") if row[f"isDefault{usage.title()}"]]
        defaults = f" [default {', '.join(usages)}]" if usages else ""
        place = ", ".join(filter(None, [row["street"], row["city"], row["postalCode"], row["country"]]))
        typer.echo(f"{row['id']}  {row['type']:<5} {place}{defaults}")
    if not rows:
        typer.echo("no addresses")


@addresses_app.command("show")
@handles_errors
def show_address(
    address: Annotated[str, typer.Argument(help="Address id.")],
    as_json: JsonOption = False,
    operator: OperatorOption = None,
) -> None:
    """One address, whoever it belongs to."""
    with opened(settings()) as wiring:
        found = address_record(wiring.service.admin.address(address, operator=operator_name(operator)))
    echo_record(found, as_json=as_json)


def _event_types(given: list[str]) -> frozenset[Event] | None:
    unknown = [name for name in given if name not in set(Event)]
    if unknown:
        known = ", ".join(Event)
        raise ValidationFailed.single("type", f"unknown {', '.join(unknown)}; known types: {known}")
    return frozenset(Event(name) for name in given) or None


def _moment(raw: str | None) -> dt.datetime | None:
    if raw is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationFailed.single("since", "must be an ISO 8601 date or time, e.g. 2026-11-01T00:00Z") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@audit_app.command("list")
@handles_errors
def audit_list(
    customer: Annotated[str | None, typer.Option(help="Only this customer's entries (id or email).")] = None,
    event_type: Annotated[list[str], typer.Option("--type", help="Only entries of this type (repeatable).")] = [],  # noqa: B006
    since: Annotated[
        str | None, typer.Option(help="Only entries at or after this ISO time (UTC unless given).")
    ] = None,
    before: Annotated[str | None, typer.Option(help="Page: entries older than this entry id.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    as_json: JsonOption = False,
    operator: OperatorOption = None,
) -> None:
    """Audit entries, newest first. Reading them is recorded too."""
    types, start = _event_types(event_type), _moment(since)
    cursor = as_id(before) if before else None
    if before and cursor is None:
        raise ValidationFailed.single("before", "must be an entry id")
    with opened(settings()) as wiring:
        entries = wiring.service.admin.audit(
            operator=operator_name(operator), customer=customer, types=types, since=start, before=cursor, limit=limit
        )
    rows = [to_json(entry) for entry in entries]
    next_before = rows[-1]["id"] if len(rows) == limit else None
    if as_json:
        echo_json({"items": rows, "nextBefore": next_before})
        return
    for row in rows:
        who = row["actor"] + (f":{row['operator']}" if row["operator"] else "")
        detail = json_text(row["detail"]) if row["detail"] else ""
        customer_id, address = row["customerId"] or "-", row["ipAddress"] or "-"
        typer.echo(f"{row['at']}  {row['type']:<22} {who:<20} {customer_id:<24} {address}  {detail}".rstrip())
    if next_before:
        typer.echo(f"-- more: --before {next_before}")


@outbox_app.command("status")
@handles_errors
def outbox_status(as_json: JsonOption = False, operator: OperatorOption = None) -> None:
    """How many messages are pending, in flight, delivered and dead."""
    with opened(settings()) as wiring:
        wiring.service.admin.record(Event.OUTBOX_VIEWED, operator=operator_name(operator))
        counts = {status.value: count for status, count in wiring.outbox.counts().items()}
    if as_json:
        echo_json(counts)
    else:
        for status, count in counts.items():
            typer.echo(f"{status:>10}: {count}")


@outbox_app.command("run")
@handles_errors
def outbox_run(operator: OperatorOption = None) -> None:
    """Deliver messages in the foreground until interrupted (besides, or
    instead of, the dispatcher inside the API: CS_OUTBOX_DISPATCHER=false)."""
    config = settings()
    configure_logging(config.log_level, config.log_format)
    with opened(config) as wiring:
        wiring.service.admin.record(Event.OUTBOX_DELIVERY_RUN, operator=operator_name(operator))
        typer.echo("delivering outgoing messages; Ctrl-C stops", err=True)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        wiring.outbox_worker.start()
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            wiring.outbox_worker.stop()


@outbox_app.command("dead")
@handles_errors
def outbox_dead(
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    as_json: JsonOption = False,
    operator: OperatorOption = None,
) -> None:
    """Messages given up on, oldest first, with their last error."""
    with opened(settings()) as wiring:
        wiring.service.admin.record(Event.OUTBOX_VIEWED, operator=operator_name(operator), status="dead")
        dead = wiring.outbox.list(Status.DEAD, limit=limit)
    rows = [
        {
            "id": m.id,
            "template": m.template,
            "to": m.to,
            "attempts": m.attempts,
            "lastError": m.last_error,
            "createdAt": iso(m.created_at),
            "requeueable": not m.secrets_removed,
        }
        for m in dead
    ]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        note = "" if row["requeueable"] else " (its link was removed: the customer must ask for a new one)"
        typer.echo(
            f"{row['id']}  {row['template']:<26} {row['to']:<32} {row['attempts']} attempts: {row['lastError']}{note}"
        )


@outbox_app.command("requeue")
@handles_errors
def outbox_requeue(
    message: Annotated[str | None, typer.Argument(help="A dead message's id; omit with --all-dead.")] = None,
    all_dead: Annotated[bool, typer.Option("--all-dead", help="Requeue every dead message.")] = False,
    operator: OperatorOption = None,
) -> None:
    """Make dead messages pending again, with fresh attempts. A message whose
    link was removed when it died stays dead: it would mail a broken link."""
    if (message is None) == (not all_dead):
        raise ValidationFailed.single("message", "give one message id, or --all-dead")
    message_id = as_id(message) if message is not None else None
    with opened(settings()) as wiring:
        count = wiring.outbox.requeue(message_id, now=SystemClock().now()) if all_dead or message_id else 0
        if count:
            wiring.service.admin.record(Event.OUTBOX_REQUEUED, operator=operator_name(operator), count=count)
    if message is not None and count == 0:
        raise NotFound(f"No dead message {message!r} that can be requeued")
    typer.echo(f"requeued {count} message(s)")


def run() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


def client_record(client: ServiceClient) -> dict[str, Any]:
    return {
        "clientId": client.id,
        "name": client.name,
        "scopes": sorted(client.scopes),
        "createdAt": iso(client.created_at),
        "revokedAt": iso(client.revoked_at) if client.revoked_at else None,
    }


@clients_app.command("create")
@handles_errors
def create_client(
    name: Annotated[str, typer.Argument(help="What the client is, e.g. orders-service.")],
    scopes: Annotated[list[Scope], typer.Option("--scope", help="A scope it may ask for; repeat for more.")],
    as_json: JsonOption = False,
    operator: OperatorOption = None,
) -> None:
    """Create a client; its secret is shown this once (only a digest is kept)."""
    with opened(settings()) as wiring:
        created = wiring.service.clients.create(name, frozenset(scopes), operator=operator_name(operator))
    if as_json:
        echo_json({"clientId": created.client.id, "clientSecret": created.secret})
        return
    typer.echo(f"clientId:     {created.client.id}")
    typer.echo(f"clientSecret: {created.secret}")
    typer.echo("Keep the secret now: it is not shown again.", err=True)


@clients_app.command("list")
@handles_errors
def list_clients(as_json: JsonOption = False) -> None:
    """Every client, oldest first, revoked ones included."""
    with opened(settings()) as wiring:
        rows = [client_record(client) for client in wiring.service.clients.list()]
    if as_json:
        echo_json({"items": rows})
        return
    if not rows:
        typer.echo("no clients")
    for row in rows:
        state = f"revoked {row['revokedAt']}" if row["revokedAt"] else "active"
        typer.echo(f"{row['clientId']}  {row['name']:<30} {' '.join(row['scopes']):<30} {state}")


@clients_app.command("revoke")
@handles_errors
def revoke_client(
    client_id: Annotated[str, typer.Argument(help="The client's id.")], operator: OperatorOption = None
) -> None:
    """Revoke a client: its tokens stop working at once."""
    with opened(settings()) as wiring:
        wiring.service.clients.revoke(client_id, operator=operator_name(operator))
    typer.echo(f"revoked {client_id}; its tokens no longer work")

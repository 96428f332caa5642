"""Which database errors are transient, and putting a broken connection aside (docs/adr/0009-faults.md).

A transient error (the server restarting or terminating connections, a timeout, a deadlock) says nothing
about the work: the same job succeeds when tried again. Django wraps the driver's errors in its own
``OperationalError``/``InterfaceError`` only for queries that go through its cursor wrapper; the bulk
writes of the recompute use psycopg's ``COPY`` directly, so psycopg's own classes count too
(``psycopg.errors.AdminShutdown`` is a ``psycopg.OperationalError``). Anything else is deterministic.
"""

from django.db import InterfaceError, OperationalError, connection

try:
    import psycopg

    _DRIVER_ERRORS: tuple[type[Exception], ...] = (psycopg.OperationalError, psycopg.InterfaceError)
except ImportError:  # pragma: no cover - psycopg is installed wherever PostgreSQL is used
    _DRIVER_ERRORS = ()

TRANSIENT_DATABASE_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError, *_DRIVER_ERRORS)


def is_transient(exc: BaseException) -> bool:
    """A database or connection error worth trying again, or the worker itself stopping (``SystemExit``,
    ``KeyboardInterrupt``: no fault of the job)."""
    return isinstance(exc, TRANSIENT_DATABASE_ERRORS) or not isinstance(exc, Exception)


def connection_reset_if_broken() -> None:
    """Close this thread's connection if it no longer answers, so that the next query opens a new one.

    Django notices a dead connection only at the end of a request or task; a job handed back right after
    the error would otherwise use the dead one and fail again. Inside a transaction nothing is closed:
    the transaction's owner handles its own connection.
    """
    if connection.in_atomic_block or connection.connection is None:
        return
    if not connection.is_usable():
        connection.close()

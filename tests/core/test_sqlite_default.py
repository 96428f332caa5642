"""The embedded default (SQLite, ``make run``) lets threads that each read then write wait on each other.

``make run`` serves requests in threads and runs long tasks (an import, a recompute) in a thread of
its own, each with its own connection to the one file. Two transactions that both read and then write
must not fail with "database is locked": one waits for the other. The script below runs in a fresh
process on the development settings, whatever database this suite uses, on a file of its own.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Two threads, each in a transaction: read the table, wait until the other has read it too, then
# write. Without a write lock taken at BEGIN the second writer's snapshot is stale once the first
# commits, and SQLite refuses it at once (its busy timeout does not apply to that case).
SCRIPT = textwrap.dedent(
    """
    import threading
    import django
    django.setup()
    from django.db import connection, connections, transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE tally (n INTEGER)")
    connections.close_all()
    both_read = threading.Barrier(2, timeout=0.5)
    outcomes = []

    def read_then_write(n):
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT COUNT(*) FROM tally")
                    try:
                        both_read.wait()
                    except threading.BrokenBarrierError:
                        pass  # the other waits at BEGIN for this one's write lock: as it should
                    cursor.execute("INSERT INTO tally VALUES (%s)", [n])
            outcomes.append("written")
        except Exception as exc:
            outcomes.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=read_then_write, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM tally")
        print(sorted(outcomes), cursor.fetchone()[0])
    """
)


def test_two_threads_that_read_then_write_both_commit(tmp_path: Path) -> None:
    unset = {"DATABASE_URL", "REDIS_URL", "REDIS_CACHE_URL", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.dev", "SQLITE_NAME": str(tmp_path / "db.sqlite3")}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['written', 'written'] 2"

"""`serve` always ends after Ctrl-C or SIGTERM: a thread that never ends, or an interrupt a
library swallowed, cannot keep it alive (its watchdog ends it), and a second signal ends it
at once. Run in a small process of its own: the watchdog ends the process it is in."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

from tests.conftest import ROOT

STUCK = textwrap.dedent(
    """
    import os, signal, threading, time
    import handout.cli.serve as serve

    serve.STOP_WITHIN_S = {grace}
    stopping = serve.Stopping()
    stopping.install()
    threading.Thread(target=time.sleep, args=(60,)).start()  # never done: exit would wait
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
    {after}
    """
)


def run(after: str, grace: float) -> tuple[int, str, float]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", STUCK.format(grace=grace, after=after)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    return done.returncode, done.stdout + done.stderr, time.monotonic() - started


def test_a_serve_that_hangs_while_stopping_is_ended_by_its_watchdog() -> None:
    code, output, seconds = run("pass", grace=1)
    assert code == 130, output
    assert "interrupted" in output
    assert "stopping took too long: serve ends now." in output
    assert seconds < 30


def test_a_second_signal_ends_serve_at_once() -> None:
    code, output, seconds = run("os.kill(os.getpid(), signal.SIGINT); time.sleep(30)", grace=50)
    assert code == 130, output
    assert "stopped again: serve ends now." in output
    assert seconds < 25

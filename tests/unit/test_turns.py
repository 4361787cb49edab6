"""Computations of page runs take turns: at most a few at once, the run begun first served first."""

from __future__ import annotations

import threading
import time

from kam.ui import turns


def _wait_until(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_waiting_runs_are_served_earliest_begun_first_whatever_order_they_asked_in():
    line = turns.Turns(1)
    served: list[float] = []
    holding, release = threading.Event(), threading.Event()

    def first() -> None:
        with line.turn(began=0.0):
            holding.set()
            release.wait(5)

    def later(began: float) -> None:
        with line.turn(began):
            served.append(began)

    threading.Thread(target=first).start()
    holding.wait(5)
    # Runs begun at 30, 10 and 20 ask in that order while the one slot is taken.
    waiting = [threading.Thread(target=later, args=(began,)) for began in (30.0, 10.0, 20.0)]
    for asked, thread in enumerate(waiting, start=1):
        thread.start()
        _wait_until(lambda asked=asked: len(line._waiting) == asked)
    release.set()
    for thread in waiting:
        thread.join(5)
    assert served == [10.0, 20.0, 30.0]


def test_no_more_than_the_slots_hold_a_turn_at_once():
    line = turns.Turns(2)
    inside, most = 0, 0
    lock = threading.Lock()

    def work(began: float) -> None:
        nonlocal inside, most
        with line.turn(began):
            with lock:
                inside += 1
                most = max(most, inside)
            time.sleep(0.01)
            with lock:
                inside -= 1

    threads = [threading.Thread(target=work, args=(float(n),)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert (most, inside) == (2, 0)


def test_a_turn_is_given_back_when_the_computation_fails():
    line = turns.Turns(1)
    try:
        with line.turn(0.0):
            raise ValueError("a failed query")
    except ValueError:
        pass
    with line.turn(1.0):
        assert line._busy == 1
    assert line._busy == 0


def test_a_run_stopped_while_it_waits_leaves_the_line():
    line = turns.Turns(1)
    holding, release, stopped = threading.Event(), threading.Event(), []

    def first() -> None:
        with line.turn(0.0):
            holding.set()
            release.wait(5)

    threading.Thread(target=first, daemon=True).start()
    holding.wait(5)

    class Stopped(Exception):
        pass

    # The waiting run is stopped (as an interrupted wait would): its place in the line goes with it.
    def stopped_wait(timeout: float | None = None) -> bool:
        raise Stopped

    plain_wait = line._changed.wait
    line._changed.wait = stopped_wait
    try:
        with line.turn(1.0):
            pass
    except Stopped:
        stopped.append(True)
    line._changed.wait = plain_wait
    release.set()
    served: list[float] = []

    def later() -> None:
        with line.turn(2.0):
            served.append(2.0)

    waiting = threading.Thread(target=later, daemon=True)
    waiting.start()
    waiting.join(5)
    assert (stopped, served, line._waiting) == ([True], [2.0], [])


def test_slots_are_one_per_core_unless_configured():
    assert turns.slots(3) == 3
    assert turns.slots(0) >= 1

"""The dashboard's background loops end with the process, not in the middle of a database call."""

import threading

from kam.ui import background


def test_stopping_a_background_loop_ends_its_thread():
    stop = threading.Event()
    looks = []

    def loop() -> None:
        while not stop.wait(60):
            looks.append("look")

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    background.stop(stop, thread)
    assert not thread.is_alive()
    assert stop.is_set() and looks == []

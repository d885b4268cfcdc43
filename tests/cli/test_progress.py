import io

from alertsync.cli.progress import Progress, line


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_line_has_a_rate_and_an_estimate() -> None:
    assert line("applying", 250, 1000, "changes", 5.0) == (
        "applying: 250/1000 changes, 50/s, about 15 s left"
    )
    assert line("applying", 1000, 1000, "changes", 20.0) == "applying: 1000/1000 changes, 50/s"
    assert line("reading", 0, 10, "alerts", 0.0) == "reading: 0/10 alerts"


def test_redraws_in_place_at_most_ten_times_a_second_and_clears() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, clock=clock)
    progress.update("applying", 1, 100, "changes")
    clock.now += 0.01
    progress.update("applying", 2, 100, "changes")  # too soon: not drawn
    clock.now += 0.2
    progress.update("applying", 3, 100, "changes")
    progress.update("applying", 100, 100, "changes")  # the last one is always drawn
    drawn = stream.getvalue().split("\r\x1b[K")[1:]
    assert [d.split(":")[1].split(",")[0].strip() for d in drawn] == [
        "1/100 changes",
        "3/100 changes",
        "100/100 changes",
    ]
    progress.clear()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_off_writes_nothing() -> None:
    progress = Progress(None)
    progress.update("applying", 1, 2, "changes")
    progress.clear()
    assert not progress.enabled

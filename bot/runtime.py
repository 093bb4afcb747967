"""What every listener, job and command needs, built once from settings (never at import time)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from bot.slack import SlackClients
from storage.db import make_engine, make_session_factory

if TYPE_CHECKING:
    from bot.tagging import TaggingProcess

__all__ = [
    "STOP_GRACE_SECONDS",
    "Batcher",
    "GroupRunner",
    "Runtime",
    "TrackingExecutor",
    "finish_work_after_acks",
    "make_runtime",
    "utcnow",
]

logger = logging.getLogger(__name__)

#: On SIGTERM: how long requests in hand, then the work after their acks, may take to finish.
STOP_GRACE_SECONDS = 20


def utcnow() -> datetime:
    return datetime.now(UTC)


class Batcher:
    """Runs `fn(items)` in the background pool on everything added since its last run, up to `size` at a time.

    No thread of its own and no timer: the first item starts a drain at once, and items that arrive while a
    batch is being handled make the next one. So a lone item waits for nothing, and under load the batches
    grow by themselves (one spaCy pass and one transaction for many notes).

    Acks first: while `busy()` says requests are being handled, a batch waits until its oldest item has waited
    `yield_for` seconds. Under a burst the work after the ack (and its GIL share) gives way to the acks, which
    Slack wants within 3 s, and its batches grow; under sustained load it runs that much behind, never less often.
    """

    def __init__(
        self,
        executor: ThreadPoolExecutor,
        fn: Callable[[list[Any]], object],
        size: int = 64,
        *,
        busy: Callable[[], bool] = lambda: False,
        yield_for: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._executor, self._fn, self._size = executor, fn, size
        self._busy, self._yield_for = busy, yield_for
        self._clock, self._sleep = clock, sleep
        self._items: list[tuple[float, Any]] = []  # (when added, item)
        self._draining = False
        self._lock = threading.Lock()

    def add(self, *items: object) -> None:
        """Queue `items` (several at once make one batch, as far as `size` allows)."""
        if not items:
            return
        now = self._clock()
        with self._lock:
            self._items.extend((now, item) for item in items)
            if self._draining:
                return
            self._draining = True
        try:
            self._executor.submit(self._drain)
        except RuntimeError:  # the pool is shut down (the process is stopping): refused, as `background` would be
            with self._lock:
                self._draining = False
            raise

    def _drain(self) -> None:
        while True:
            with self._lock:
                oldest = self._items[0][0] if self._items else None
            if oldest is not None:
                left = oldest + self._yield_for - self._clock()
                if left > 0 and self._busy():
                    self._sleep(min(left, 0.005))
                    continue
            with self._lock:
                taken, self._items = self._items[: self._size], self._items[self._size :]
                if not taken:
                    self._draining = False
                    return
            batch = [item for _, item in taken]
            try:
                self._fn(batch)
            except Exception:
                name = getattr(self._fn, "__name__", self._fn)
                logger.exception("batch work %s failed for %d items", name, len(batch))


class TrackingExecutor(ThreadPoolExecutor):
    """A thread pool that knows how much work it holds (queued or running), so a stopping process can wait for
    the work after the ack, including work that work submits (tagging, then the confirmation), to finish."""

    def __init__(self, max_workers: int, thread_name_prefix: str = "") -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix=thread_name_prefix)
        self._outstanding = 0
        self._idle = threading.Condition()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._idle:
            self._outstanding += 1
        try:
            future = super().submit(fn, *args, **kwargs)
        except BaseException:
            self._done(None)
            raise
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: object) -> None:
        with self._idle:
            self._outstanding -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no work is left (False if some still is after `timeout` s); the pool stays open."""
        with self._idle:
            return self._idle.wait_for(lambda: self._outstanding == 0, timeout)

    def drain(self, timeout: float) -> bool:
        """Wait until no work is left (False if some still is after `timeout` s), then shut the pool down."""
        with self._idle:
            idle = self._idle.wait_for(lambda: self._outstanding == 0, timeout)
        self.shutdown(wait=idle)
        return idle


class _Seat:
    """One caller waiting in a GroupRunner: for its result, or to be told to lead the next group."""

    __slots__ = ("error", "item", "lead", "result", "woken")

    def __init__(self, item: object) -> None:
        self.item, self.lead = item, False
        self.result: Any = None
        self.error: BaseException | None = None
        self.woken = threading.Event()

    def outcome(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.result


class GroupRunner:
    """Runs `fn(items) -> results` (a result per item, in order) for callers that wait for their own result.

    Group commit, done by the callers' own threads: the first caller runs a group of one at once; callers that
    arrive meanwhile wait, and when the group is done the oldest of them runs the next group, with all of them
    (up to `size`). So a lone caller waits for nothing, and under load one transaction serves many callers.
    If `fn` raises, every caller in that group gets the exception.
    """

    def __init__(self, fn: Callable[[list[Any]], list[Any]], size: int = 64) -> None:
        self._fn, self._size = fn, size
        self._waiting: list[_Seat] = []
        self._busy = False
        self._lock = threading.Lock()

    @property
    def waiting(self) -> int:
        """Callers waiting for a run (not those in the run going on)."""
        with self._lock:
            return len(self._waiting)

    def run(self, item: object) -> Any:
        seat = _Seat(item)
        with self._lock:
            self._waiting.append(seat)
            follow, self._busy = self._busy, True
        if follow:
            seat.woken.wait()
            if not seat.lead:
                return seat.outcome()
        with self._lock:
            group, self._waiting = self._waiting[: self._size], self._waiting[self._size :]
        try:
            results = self._fn([s.item for s in group])
            if len(results) != len(group):
                raise RuntimeError(f"{self._fn!r} gave {len(results)} results for {len(group)} items")
            for s, result in zip(group, results, strict=True):
                s.result = result
        except BaseException as exc:
            for s in group:
                s.error = exc
            if not isinstance(exc, Exception):
                raise
        finally:
            with self._lock:
                if self._waiting:  # the oldest waiting caller leads the next group
                    self._waiting[0].lead = True
                    self._waiting[0].woken.set()
                else:
                    self._busy = False
            for s in group:
                if s is not seat:
                    s.woken.set()
        return seat.outcome()


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    clients: SlackClients
    clock: Callable[[], datetime] = field(default=utcnow)
    # Bolt's lazy listeners run here too (create_app passes it as listener_executor).
    executor: TrackingExecutor = field(
        default_factory=lambda: TrackingExecutor(max_workers=8, thread_name_prefix="fieldnotes-bg")
    )
    # While Slack requests are being handled (`handling_request`), batches of work after the ack give way to them
    # for up to this long (see Batcher).
    yield_for: float = 1.0
    # Where notes are tagged (bot/tagging.py): a child process (`fieldnotes run`), or None for the calling thread.
    tagging_process: TaggingProcess | None = None
    _in_flight: int = field(default=0, repr=False)
    _in_flight_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _batchers: dict[Callable[[list[Any]], object], Batcher] = field(default_factory=dict, repr=False)
    _registry_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _groups: dict[Callable[[list[Any]], list[Any]], GroupRunner] = field(default_factory=dict, repr=False)

    def now(self) -> datetime:
        return self.clock()

    def __deepcopy__(self, memo: dict[int, object]) -> Runtime:
        # Bolt deep-copies the context for lazy listeners: they share this runtime, as every listener does.
        return self

    @property
    def requests_in_flight(self) -> int:
        return self._in_flight

    @contextmanager
    def handling_request(self) -> Iterator[None]:
        """Count a Slack request while it is handled (the HTTP route does): acks first (see Batcher)."""
        with self._in_flight_lock:
            self._in_flight += 1
        try:
            yield
        finally:
            with self._in_flight_lock:
                self._in_flight -= 1

    def background(self, fn: Callable[..., object], /, *args: object, **kwargs: object) -> Future[object]:
        """Run `fn` after the ack. Cheaper than a Bolt lazy listener, which deep-copies the whole request
        (measured: about 6 ms for a modal submission), so the hot paths use this."""

        def run() -> object:
            try:
                return fn(*args, **kwargs)
            except Exception:
                logger.exception("background work %s failed", getattr(fn, "__name__", fn))
                raise

        return self.executor.submit(run)

    def batch(self, fn: Callable[[list[Any]], object], *items: object) -> None:
        """Queue `items` for `fn`, which gets them in a list with the others queued meanwhile (see Batcher)."""
        with self._registry_lock:
            batcher = self._batchers.get(fn)
            if batcher is None:
                batcher = self._batchers[fn] = Batcher(
                    self.executor, fn, busy=lambda: self.requests_in_flight > 0, yield_for=self.yield_for
                )
        batcher.add(*items)

    def waiting_together(self) -> int:
        """Callers waiting in `together` for their run: how far storing before the ack lags behind the requests."""
        with self._registry_lock:
            groups = list(self._groups.values())
        return sum(group.waiting for group in groups)

    def together(self, fn: Callable[[list[Any]], list[Any]], item: object) -> Any:
        """`fn([item, ...])`'s result for `item`, computed with the items other threads hand in meanwhile
        (see GroupRunner): for work the caller must wait for, such as storing a note before the ack."""
        with self._registry_lock:
            group = self._groups.get(fn)
            if group is None:
                group = self._groups[fn] = GroupRunner(fn)
        return group.run(item)


def make_runtime(settings: Settings, *, engine: Engine | None = None) -> Runtime:
    engine = engine or make_engine(settings.database_url)
    store = None
    if settings.oauth_enabled:
        from bot.installations import make_installation_store

        store = make_installation_store(settings, engine)
    return Runtime(
        settings=settings,
        engine=engine,
        session_factory=make_session_factory(engine),
        clients=SlackClients(settings, store),
    )


def finish_work_after_acks(runtime: Runtime, grace: float = STOP_GRACE_SECONDS) -> bool:
    """A stopping process: wait up to `grace` s for the work after the acks (tagging, the answers with the tags,
    lazy listeners), including the work that work hands on. False if some was left (notes.tag tags it later)."""
    idle = runtime.executor.drain(grace)
    if runtime.tagging_process is not None:
        runtime.tagging_process.stop()
    if idle:
        logger.info("stopped: the work after the acks is done")
        return True
    logger.warning("stopped with work after the acks left after %d s (notes.tag tags them later)", grace)
    return False

"""What the bot keeps about a chat, in memory only: its language and a self-check in progress.

Nothing here is ever written to disk, and no message text is kept. ``/forget`` drops a chat's entry; the
least recently used chat is dropped when there are too many, and a self-check left unanswered for an hour is
dropped on its own. The rate limiter keeps the times of a chat's last messages (no content) for one window.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

__all__ = ["ChatMemory", "ChatRateLimiter", "ChatState", "RateVerdict", "SelfCheckProgress"]

Clock = Callable[[], float]
RateVerdict = Literal["ok", "notify", "drop"]


@dataclass(frozen=True)
class SelfCheckProgress:
    """The answers so far (question id → yes) and when the last one came."""

    answers: tuple[tuple[str, bool], ...] = ()
    touched: float = 0.0

    def answered(self, question_id: str, yes: bool, now: float) -> SelfCheckProgress:
        return SelfCheckProgress((*self.answers, (question_id, yes)), now)


@dataclass(frozen=True)
class ChatState:
    language: str | None = None
    selfcheck: SelfCheckProgress | None = None
    busy_with_file: bool = False


@dataclass
class ChatMemory:
    """Per-chat state, thread-safe (handlers run on the event loop, analyses in worker threads)."""

    max_chats: int = 10_000
    selfcheck_ttl: float = 3600.0
    clock: Clock = time.monotonic
    _chats: OrderedDict[int, ChatState] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, chat_id: int) -> ChatState:
        with self._lock:
            state = self._chats.get(chat_id)
            if state is None:
                return ChatState()
            self._chats.move_to_end(chat_id)
            progress = state.selfcheck
            if progress is not None and self.clock() - progress.touched > self.selfcheck_ttl:
                state = self._store(chat_id, replace(state, selfcheck=None))
            return state

    def update(self, chat_id: int, **changes: object) -> ChatState:
        with self._lock:
            state = replace(self._chats.get(chat_id, ChatState()), **changes)  # type: ignore[arg-type]
            return self._store(chat_id, state)

    def claim_file_slot(self, chat_id: int) -> bool:
        """Mark the chat as having a file in progress; False if it already has one."""
        with self._lock:
            state = self._chats.get(chat_id, ChatState())
            if state.busy_with_file:
                return False
            self._store(chat_id, replace(state, busy_with_file=True))
            return True

    def release_file_slot(self, chat_id: int) -> None:
        with self._lock:
            state = self._chats.get(chat_id)
            if state is not None:
                self._store(chat_id, replace(state, busy_with_file=False))

    def forget(self, chat_id: int) -> None:
        with self._lock:
            state = self._chats.pop(chat_id, None)
            if state is not None and state.busy_with_file:  # the running check still needs its slot
                self._chats[chat_id] = ChatState(busy_with_file=True)

    def __len__(self) -> int:
        return len(self._chats)

    def _store(self, chat_id: int, state: ChatState) -> ChatState:
        if state == ChatState():
            self._chats.pop(chat_id, None)
            return state
        self._chats[chat_id] = state
        self._chats.move_to_end(chat_id)
        while len(self._chats) > self.max_chats:
            self._chats.popitem(last=False)
        return state


class ChatRateLimiter:
    """At most ``limit`` updates per ``window`` seconds per chat, over a sliding window.

    :meth:`hit` answers ``ok``, ``notify`` for the first update over the limit in a window (the bot says once
    that she should wait) and ``drop`` for the rest, so a flood gets one answer, not one per message.
    """

    def __init__(self, limit: int = 20, window: float = 60.0, *, clock: Clock = time.monotonic) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be at least 1 and window positive")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: dict[int, deque[float]] = {}
        self._notified: dict[int, float] = {}
        self._lock = threading.Lock()

    def hit(self, chat_id: int) -> RateVerdict:
        now = self._clock()
        with self._lock:
            self._expire(now)
            hits = self._hits.setdefault(chat_id, deque())
            if len(hits) < self.limit:
                hits.append(now)
                return "ok"
            if chat_id in self._notified:
                return "drop"
            self._notified[chat_id] = now
            return "notify"

    def _expire(self, now: float) -> None:
        cutoff = now - self.window
        for chat_id in list(self._hits):
            hits = self._hits[chat_id]
            while hits and hits[0] <= cutoff:
                hits.popleft()
            if not hits:
                del self._hits[chat_id]
        for chat_id, when in list(self._notified.items()):
            if when <= cutoff or chat_id not in self._hits:
                del self._notified[chat_id]

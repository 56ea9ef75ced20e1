"""A small in-memory memo for work whose result depends only on bytes it is given (a bid
document's HTML, a receipt's PDF): the last results are kept by the SHA-256 of those bytes,
bounded in number and in size, safe across a worker's threads. Who may see a result is
checked before it is asked for; the memo never decides it."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class ContentMemo(Generic[T]):
    """``memo.get(data, make)``: ``make(data)`` once for the same bytes, while it is kept.

    At most ``items`` results are kept, and no more than ``size`` of them by ``size_of``
    (the newest one is always kept); the least recently asked for goes first."""

    def __init__(self, items: int, size: int, size_of: Callable[[T], int]):
        self.items, self.size, self.size_of = items, size, size_of
        self._kept: OrderedDict[str, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, data: bytes, make: Callable[[bytes], T]) -> T:
        key = hashlib.sha256(data).hexdigest()
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        made = make(data)  # outside the lock: other threads' documents are not held up
        with self._lock:
            self._kept[key] = made
            self._kept.move_to_end(key)
            while len(self._kept) > self.items or (
                len(self._kept) > 1 and sum(self.size_of(value) for value in self._kept.values()) > self.size
            ):
                self._kept.popitem(last=False)
        return made

    def __len__(self) -> int:
        return len(self._kept)

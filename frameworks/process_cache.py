"""Values kept in this process in front of the shared cache: the one way the frame (cms.navigation.frame) and the
framework pages (frameworks.page_cache) read what they cache (decisions 0120 and 0021).

This process keeps the values it read or wrote last, as they were built (never pickled, so a read costs no
unpickling), dropping the least recently read when full; each entry lives at most `timeout` seconds, as in the
shared cache. Callers never change a value once stored: it is shared by every request in the process. Keys carry a
version that invalidation replaces, so old entries are never read again. It lives in `frameworks`, the bottom
layer, so that every app can use it.
"""

import threading
import time
from collections import OrderedDict

from django.core.cache import cache


class LayeredCache:
    def __init__(self, *, entries: int, timeout: int):
        self.entries = entries
        self.timeout = timeout
        self._local: OrderedDict[str, tuple[object, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str):
        """The value under `key`, or None: from this process's entries first, then from the shared cache."""
        with self._lock:
            entry = self._local.get(key)
            if entry is not None:
                value, expires = entry
                if expires > time.monotonic():
                    self._local.move_to_end(key)
                    return value
                del self._local[key]
        value = cache.get(key)
        if value is not None:
            self._keep(key, value)
        return value

    def set(self, key: str, value, *, shared: bool = True) -> None:
        """Keep `value` under `key` in this process and, unless `shared` is False, in the shared cache. Values
        that only a few requests will ask for (a filtered page of results whose key comes from the query string)
        are kept in this process only, so that they cannot fill the shared cache."""
        if shared:
            cache.set(key, value, self.timeout)
        self._keep(key, value)

    def kept(self) -> list:
        """This process's values, least recently read first."""
        with self._lock:
            return [value for value, _expires in self._local.values()]

    def _keep(self, key: str, value) -> None:
        with self._lock:
            self._local[key] = (value, time.monotonic() + self.timeout)
            self._local.move_to_end(key)
            while len(self._local) > self.entries:
                self._local.popitem(last=False)

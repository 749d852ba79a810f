"""The shared cache's backend: Django's Redis cache, with one Redis client per connection pool kept for the life
of the process.

Django's `RedisCacheClient.get_client` makes a new `redis.Redis` for every cache operation, and redis-py builds
each new client's table of about 170 response callbacks (a case-insensitive dict, one `str.upper` per entry):
a quarter of a millisecond per operation under the profiler, which a signed-in page pays several times (its
session, the frame's versions, the booking engine's seat version). A client holds no connection of its own, only
its pool's, and redis-py documents it as safe to share between threads, so one per pool does.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

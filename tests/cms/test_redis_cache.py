"""The shared cache's backend (cms.core.cache): Django's Redis cache, keeping one Redis client per connection pool
instead of building a new one (and its table of response callbacks) for every cache operation."""

import os
import threading
import uuid

import pytest

from cms.core.cache import RedisCache

pytestmark = pytest.mark.redis


@pytest.fixture
def shared_cache():
    cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    cache.clear()


def test_every_operation_uses_the_same_client_of_the_same_pool(shared_cache):
    client = shared_cache._cache.get_client(write=True)
    shared_cache.set("version", "a")
    assert shared_cache.get("version") == "a"
    assert shared_cache._cache.get_client() is client
    assert shared_cache._cache.get_client(write=True) is client
    assert client.connection_pool is shared_cache._cache._get_connection_pool(True)


def test_threads_share_the_client_and_each_reads_its_own_values(shared_cache):
    errors = []
    shared_cache.set("counter", 0)

    def work(n):
        try:
            for round_ in range(50):
                shared_cache.set(f"key-{n}", (n, round_))
                assert shared_cache.get(f"key-{n}") == (n, round_)
            shared_cache.incr("counter")
        except Exception as error:  # reported below: an assertion in a thread does not fail the test
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert shared_cache.get("counter") == 8
    assert len(shared_cache._cache._clients) == 1

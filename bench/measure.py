import statistics
import time
import tracemalloc


def measure(func, *args, **kwargs):
    """Run `func` once; return (result, seconds, peak traced memory in MiB)."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = func(*args, **kwargs)
    finally:
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return result, elapsed, peak / (1024 * 1024)


def median_ms(func, repeat: int = 50, warmup: int = 5) -> float:
    """Median wall time of `func()` in milliseconds, after `warmup` untimed calls."""
    for _ in range(warmup):
        func()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)

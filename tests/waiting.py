"""Waiting in tests for what is awaited, never for a fixed time.

`wait_until(predicate)` asks again every few milliseconds and returns as soon as the
predicate holds; only when it never does within `timeout` does the test fail. A slow,
busy machine then makes a test slower, not red.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import pytest

T = TypeVar("T")


def wait_until(predicate: Callable[[], T], *, timeout: float = 10.0, interval: float = 0.05,
               message: str | Callable[[], str] = "") -> T:
    """The predicate's first true value; fails the test after `timeout` seconds.

    `message` (or a function giving it, called only on failure, e.g. to read a log)
    says what was awaited."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            said = message() if callable(message) else message
            pytest.fail(f"waited {timeout:g} s in vain for "
                        f"{said or getattr(predicate, '__name__', 'the condition')}")
        time.sleep(interval)

"""Fixtures of the crm tests."""

import io
import logging
from collections.abc import Iterator

import pytest

from crm.logs import RedactSecretsFilter


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """What the app writes to its console log (the redacting handler) during the test."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactSecretsFilter) for f in h.filters)
    )
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)

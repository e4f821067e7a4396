"""Ops URLs: only the health check and the JavaScript translations are public (they reveal
no data)."""

CASES: dict = {}
PUBLIC = {"healthz", "javascript-catalog"}

"""Ops URLs: only the health check is public (it reveals no data)."""

CASES: dict = {}
PUBLIC = {"healthz"}

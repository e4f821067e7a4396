"""Date patterns for fr (crm/formats/__init__.py)."""

from crm.formats import patterns_for

globals().update(patterns_for("fr"))

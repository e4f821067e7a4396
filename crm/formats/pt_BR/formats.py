"""Date patterns for pt_BR (crm/formats/__init__.py)."""

from crm.formats import patterns_for

globals().update(patterns_for("pt_BR"))

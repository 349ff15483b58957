r"""Schema version 12: a contact keeps its organisation's units (vCard ``ORG``).

``ORG:Acme Inc.;Sales;EMEA`` is the organisation "Acme Inc." and its units "Sales" and
"EMEA": ``organisation`` keeps the name, as before, and ``org_units`` the units as a vCard
writes them after the name (``Sales;EMEA``, each escaped as RFC 6350 says), '' when there
are none. See ``docs/schema.md``.
"""

SQL = """
ALTER TABLE contacts ADD COLUMN org_units TEXT NOT NULL DEFAULT '';
"""

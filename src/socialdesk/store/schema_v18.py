"""Schema version 18: an index for the leverage planner's reading of each partner's asks.

``asks_history`` holds, contact by contact, every ask's status and date: the planner
counts each partner's resolved asks and shares and finds their last ask by reading this
index alone (300,000 asks: a scan of the index instead of the table's rows).
"""

SQL = """
CREATE INDEX asks_history ON asks(contact_id, status, asked_on);
"""

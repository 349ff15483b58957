"""Schema version 7: each ask keeps the forecast it was planned with (the track record).

``planned_p`` is the share probability p_c, ``planned_reach`` the partner's reach if they
share (E_c), ``planned_x0`` the share of the universe the own channels reach (x_0) and
``model_version`` the leverage model's version. Asks made before stay NULL and are left
out of the track record. The partial index ``asks_track_record`` holds every column the
track record reads, in the order it reads them (an ask's text makes the table's rows wide).
"""

SQL = """
ALTER TABLE asks ADD COLUMN planned_p REAL
    CHECK (planned_p IS NULL OR planned_p BETWEEN 0 AND 1);
ALTER TABLE asks ADD COLUMN planned_reach REAL
    CHECK (planned_reach IS NULL OR planned_reach >= 0);
ALTER TABLE asks ADD COLUMN planned_x0 REAL
    CHECK (planned_x0 IS NULL OR planned_x0 BETWEEN 0 AND 1);
ALTER TABLE asks ADD COLUMN model_version INTEGER;
CREATE INDEX asks_track_record ON asks(coalesce(answered_on, asked_on), id, status, planned_p,
    planned_reach, planned_x0, observed_reach) WHERE planned_p IS NOT NULL;
"""

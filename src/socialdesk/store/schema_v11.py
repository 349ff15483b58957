"""Schema version 11: each ask also keeps the model's own p, before the calibration.

``planned_p`` is the chance the planner gave (calibrated when the calibration was on);
``planned_raw_p`` is the model's p before it, which the calibration is fitted on: fitted on
calibrated chances, each refit would correct the last correction again. Asks made before
stay NULL and count with their ``planned_p``. The index ``asks_track_record`` gains the
column, so that the track record still reads nothing but the index.
"""

SQL = """
ALTER TABLE asks ADD COLUMN planned_raw_p REAL
    CHECK (planned_raw_p IS NULL OR planned_raw_p BETWEEN 0 AND 1);
DROP INDEX asks_track_record;
CREATE INDEX asks_track_record ON asks(coalesce(answered_on, asked_on), id, status, planned_p,
    planned_reach, planned_x0, observed_reach, planned_raw_p) WHERE planned_p IS NOT NULL;
"""

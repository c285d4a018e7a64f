-- A target belongs to the agreement it was set for and applies only inside it: a new agreement starts
-- without targets (the council sets them) instead of inheriting an old agreement's open-ended ones.
-- Targets stored before are copied to every agreement whose span they meet. A change of a target's
-- past days (a correction) records why.

ALTER TABLE targets ADD COLUMN agreement_id VARCHAR;

INSERT INTO targets (indicator_id, grain, value, direction, season_weights, valid_from, valid_to, baseline_year,
                     increase_pct, origin, is_example, agreement_id)
SELECT t.indicator_id, t.grain, t.value, t.direction, t.season_weights, t.valid_from, t.valid_to, t.baseline_year,
       t.increase_pct, t.origin, t.is_example, a.id
FROM targets t JOIN agreements a ON t.valid_from <= a.valid_to AND coalesce(t.valid_to, a.valid_to) >= a.valid_from
WHERE t.agreement_id IS NULL;

DELETE FROM targets WHERE agreement_id IS NULL;

ALTER TABLE target_changes ADD COLUMN agreement_id VARCHAR;
ALTER TABLE target_changes ADD COLUMN reason VARCHAR;

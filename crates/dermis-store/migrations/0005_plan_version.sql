-- Optimistic version checks on plans (issue 15): once several PCs share the
-- clinic server, two people can change one plan at once (its status, a
-- session's date or time, a session recorded). Every such change adds one to
-- the plan's version, and a change made against an older version is refused
-- as a conflict, as patients already are.
ALTER TABLE plans ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

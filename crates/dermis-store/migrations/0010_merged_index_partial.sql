-- The patient list (an empty search) walks `patients_by_sort_key` in order
-- and stops after a page. Migration 0007's index on `merged_into` made
-- SQLite's planner read `merged_into IS NULL` through that index instead:
-- every patient, then a sort of them all (62 ms instead of 0.35 ms for the
-- first page at 100,000 patients). Only merged records are ever looked up
-- by `merged_into` (`merged_into = ?` implies it is not NULL), so the index
-- now holds only them and the list goes back to the sort-key index.
DROP INDEX patients_by_merged_into;
CREATE INDEX patients_by_merged_into ON patients (merged_into) WHERE merged_into IS NOT NULL;

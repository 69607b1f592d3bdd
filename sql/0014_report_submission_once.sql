-- A report submission is its period and its document: the same document submitted again for the same
-- period (a retry after an answer that never arrived, a second click) finds the submission already
-- made instead of making another. The index is what holds two such submissions racing each other:
-- the second waits for the first and then conflicts with it.
--
-- Submissions are never changed or removed (0009), so pairs made twice before this migration stay;
-- the index covers every submission after the last of them, and the application looks up the
-- older ones itself before inserting.
do $$
declare
  floor bigint;
begin
  select coalesce(max(later.id), 0) into floor
  from report_submission later
  join report_submission earlier
    on earlier.period = later.period and earlier.sha256 = later.sha256 and earlier.id < later.id;
  execute format('create unique index report_submission_once on report_submission (period, sha256) where id > %s', floor);
end
$$;

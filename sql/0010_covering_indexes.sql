-- Indexes chosen by measurement at 10,000,000 records (docs/performance.md). The query compiler
-- answers whole months from the rollups and the days of a partial month (a period that starts on
-- the 30th, a year-ago period that ends on the 2nd) from the facts: these covering indexes let
-- those partial months be read by index-only scans, where a bitmap heap scan over a table that
-- is not in date order took 80-100 ms. They replace the plain date indexes, whose leading column
-- they share. The graduation index also serves "projects in incubation" on a day inside a month.
create index tech_transfer_signed_cover_idx on tech_transfer (signed_on) include (university_code, contract_value_cny, received_cny, patents);
drop index tech_transfer_signed_idx;
create index incubation_entered_cover_idx on incubation (entered_on) include (university_code, stage, graduated_on, funding_cny, jobs);
drop index incubation_entered_idx;
create index incubation_graduated_cover_idx on incubation (graduated_on) include (university_code, stage, entered_on) where graduated_on is not null;
create index talent_started_cover_idx on talent (started_on) include (university_code, trainees, graduates);
drop index talent_started_idx;
create index credit_recognized_cover_idx on credit (recognized_on) include (university_code, students, credits);
drop index credit_recognized_idx;

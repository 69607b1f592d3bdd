-- Commission reports as submitted: the report's canonical JSON, frozen, with its SHA-256, the
-- period and who submitted it when. A submission is never changed or removed (a trigger refuses
-- UPDATE, DELETE and TRUNCATE, as for the audit log); a correction is a new submission.

create table report_submission (
  id                 bigint generated always as identity primary key,
  period             text not null check (period ~ '^[0-9]{4}(-(H[12]|Q[1-4]))?$'),
  period_from        date not null,
  period_to          date not null check (period_to >= period_from),
  -- The language it was submitted in; the document itself holds both.
  lang               text not null check (lang in ('zh', 'en')),
  -- The canonical JSON (RFC 8785) exactly as hashed: text, not jsonb, so that its bytes never change.
  document           text not null,
  sha256             text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  data_version       bigint not null,
  -- Kept as text as well as id so the submission outlives any change to the account.
  submitted_by       bigint,
  submitted_by_email text not null,
  submitted_by_name  text not null,
  submitted_at       timestamptz not null default now(),
  note               text check (char_length(note) <= 2000),
  -- The database checks the digest itself: a document and its hash cannot disagree.
  constraint report_submission_digest check (sha256 = encode(sha256(convert_to(document, 'UTF8')), 'hex'))
);

create index report_submission_period_idx on report_submission (period, submitted_at);

create function report_submission_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'report_submission is immutable: % is not allowed', tg_op
    using errcode = 'insufficient_privilege';
end;
$$;

create trigger report_submission_immutable
  before update or delete on report_submission
  for each row execute function report_submission_refuse_change();

create trigger report_submission_no_truncate
  before truncate on report_submission
  for each statement execute function report_submission_refuse_change();

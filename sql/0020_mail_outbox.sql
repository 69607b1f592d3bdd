-- E-mail goes out through a durable outbox: a message is a row, written in the same transaction as
-- what it tells of (a period's step, a report's submission), so that it is neither lost when the
-- process dies nor sent for something that was rolled back. A worker in the server claims due rows
-- (`for update skip locked`), sends them over SMTP and records the outcome; see docs/mail.md.
--
-- Recipients are kept as addresses, not account ids: the message is what was sent, whatever becomes
-- of the accounts. Attachments are a specification (which report, which submission, which
-- language), rendered when the message is sent, never stored bytes.

create table mail_outbox (
  id              bigint generated always as identity primary key,
  -- The Message-ID header, the same on every attempt: a repeat after a crash is identifiable.
  message_id      text not null unique check (message_id ~ '^<[^<>@ ]+@[^<>@ ]+>$'),
  kind            text not null check (kind in ('due_soon', 'late', 'submitted', 'returned', 'report', 'test')),
  -- What makes the message once only (a reminder of a period, a day, a language): null for a test message.
  dedupe_key      text unique check (char_length(dedupe_key) <= 300),
  recipients      text[] not null check (cardinality(recipients) between 1 and 200),
  -- The recipients' language; `both` when it is not known (Chinese first, then English).
  lang            text not null check (lang in ('en', 'zh', 'both')),
  subject         text not null check (char_length(subject) <= 500),
  body_text       text not null check (char_length(body_text) <= 100000),
  body_html       text check (char_length(body_html) <= 200000),
  attachments     jsonb,
  state           text not null default 'pending' check (state in ('pending', 'sending', 'sent', 'failed')),
  attempts        integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  -- While `sending`: until when the attempt is the claimant's. A lease that ran out without an
  -- outcome (the process died) makes the message due again.
  lease_until     timestamptz,
  -- The last failure as the SMTP server answered it (or the connection's error).
  last_error      text check (char_length(last_error) <= 2000),
  -- What the sender wants the log to say beside the state: e.g. that the PDF could not be printed.
  note            text check (char_length(note) <= 2000),
  created_at      timestamptz not null default now(),
  sent_at         timestamptz,
  check ((state = 'sent') = (sent_at is not null)),
  check ((state = 'sending') = (lease_until is not null))
);

-- The worker's question: which messages are due (pending and due, or sending with a lapsed lease).
create index mail_outbox_due_idx on mail_outbox (next_attempt_at, id) where state in ('pending', 'sending');
-- The delivery log, newest first, by state.
create index mail_outbox_log_idx on mail_outbox (state, id desc);

-- The audit log names mail settings and an administrator's action on a message.
alter table audit_log drop constraint audit_log_action_check;
alter table audit_log add constraint audit_log_action_check check (action in (
  'login', 'login_failed', 'logout', 'create', 'update', 'delete',
  'import', 'export', 'user_change', 'target_change', 'university_change', 'report_submit',
  'period_submit', 'period_approve', 'period_return', 'period_reopen', 'calendar_change',
  'mail_settings_change', 'mail_message'));

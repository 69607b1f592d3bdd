-- Sessions carry a CSRF token that the client must echo in a header on every write;
-- the session id stored is the SHA-256 of the cookie's token, so a copy of the table
-- lets nobody sign in. A user may keep a preferred interface language.

delete from session;

alter table session add column csrf_token text not null;
alter table session add constraint session_id_is_digest check (id ~ '^[0-9a-f]{64}$');
create index session_expires_idx on session (expires_at);

alter table app_user add column lang text check (lang in ('zh', 'en'));

-- Writes are announced as they commit, on the channel ao_change (LISTEN ao_change), so that a
-- server keeps the data version and its signed-in sessions in memory instead of asking the
-- database on every request. PostgreSQL delivers notifications after the commit, in commit order,
-- and only for transactions that commit.
--   'data <version>': the data version's new value (every bump: the triggers of sql/0008 and the
--                     application's own);
--   'auth':           an account was changed or removed, or a session ended (sign-out, disabled,
--                     password changed, expired).

create function announce_data_version() returns trigger language plpgsql as $$
begin
  perform pg_notify('ao_change', 'data ' || (new.value #>> '{}'));
  return null;
end
$$;

create trigger app_setting_announce after update on app_setting
  for each row when (new.key = 'data_version') execute function announce_data_version();

create function announce_auth_change() returns trigger language plpgsql as $$
begin
  perform pg_notify('ao_change', 'auth');
  return null;
end
$$;

create trigger app_user_announce after update or delete or truncate on app_user
  for each statement execute function announce_auth_change();
create trigger session_announce after delete or truncate on session
  for each statement execute function announce_auth_change();

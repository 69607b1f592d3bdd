-- Writes are announced as they commit, on the channel ao_change (LISTEN ao_change), so that a
-- server keeps the data version and its signed-in sessions in memory instead of asking the
-- database on every request. PostgreSQL delivers notifications after the commit, in commit order,
-- and only for transactions that commit.
--   'data <version>': the data version's new value (every bump: the triggers of sql/0008 and the
--                     application's own);
--   'auth':           an account was changed or removed, or a session ended or was changed other
--                     than by its regular touch (sign-out, disabled, password changed, expired).
-- A notification carries a hint only: the server reads the version itself when told of a change,
-- so a NOTIFY sent by anyone else can make it ask again, never make it believe a number.

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
-- A session changed in any way but its regular touch (last_seen moving forward) is announced too.
create trigger session_change_announce after update on session
  for each row when (new.last_seen < old.last_seen or new.expires_at is distinct from old.expires_at
    or new.user_id is distinct from old.user_id or new.csrf_token is distinct from old.csrf_token or new.id is distinct from old.id)
  execute function announce_auth_change();

-- The data version only grows: ETags and the answers kept per version rely on never meeting a
-- number again. Setting it back (by hand, or restoring a dump over a running server) is refused.
create function refuse_lower_data_version() returns trigger language plpgsql as $$
begin
  if (new.value #>> '{}')::bigint < (old.value #>> '{}')::bigint then
    raise exception 'the data version only grows (% to %)', old.value, new.value using errcode = 'check_violation';
  end if;
  return new;
end
$$;

create trigger app_setting_version_grows before update on app_setting
  for each row when (new.key = 'data_version') execute function refuse_lower_data_version();

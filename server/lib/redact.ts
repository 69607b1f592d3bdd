/**
 * A URL as a log line may show it, written as it was typed: the password of its user part (all
 * between the user's `:` and the last `@`, which may itself hold `/` or `@`) as `***`. A URL without
 * a password is unchanged; so is text that holds no `@`.
 */
export function maskCredentials(url: string): string {
  return url.replace(/^([^/]*\/\/)?([^:@/]*)(:.*)?@/s, (whole, scheme: string | undefined, user: string, password?: string) =>
    password === undefined ? whole : `${scheme ?? ''}${user}:***@`,
  );
}

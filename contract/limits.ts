/** Limits the server enforces and the client states up front (a form's hint, an input's bounds). */

/** A password's length, in characters: long enough to resist guessing, short enough to hash cheaply. */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;
/** Different characters a password holds at the least: twelve spaces, or "abababababab", guess in no time. */
export const MIN_PASSWORD_DISTINCT = 5;
/** The password every demo account has, published on the sign-in page in demo mode: never an account's own. */
export const DEMO_PASSWORD = 'alliance-demo';

/** Limits the server enforces and the client states up front (a form's hint, an input's bounds). */

/** A password's length, in characters: long enough to resist guessing, short enough to hash cheaply. */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

// The bounds of stored strings, the same on both engines: nothing is left for the database to refuse (PostgreSQL cannot
// index a row over ~2.7 kB, nor hold NUL in text) or for one engine to keep where the other would not.

/** An id, or a user id such as assignedTo: indexed, and far longer than any real one. */
export const MAX_ID_LENGTH = 256;
/**
 * A name, company name or email address: PostgreSQL indexes them for search (a contact's full name is its first and
 * last names joined), and its index rows hold about 2.7 kB. 256 characters of up to three bytes each, twice, fit.
 */
export const MAX_NAME_LENGTH = 256;
/** A message's text or an email's HTML sent through the API: well within the 1 MiB body limit. */
export const MAX_LONG_TEXT_LENGTH = 200_000;
/** Any other stored string: names, addresses, tags, subjects, custom values. */
export const MAX_TEXT_LENGTH = 10_000;

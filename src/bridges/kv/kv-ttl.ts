/**
 * How long a KV item lives: a number of **seconds from now** (like PSR-16 and rr's PHP client),
 * or the **Date** it expires at. rr keeps TTLs with one-second resolution.
 */
export type KvTtl = number | Date;

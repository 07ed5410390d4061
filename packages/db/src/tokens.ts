import { createHash, randomBytes } from "node:crypto";

// API tokens: `rb_` + 32 random bytes in base64url (43 characters). Only the SHA-256 of a token
// is stored; a fast hash is enough because the token carries 256 bits of entropy (no guessing),
// and it lets the API find a token by its hash with one indexed lookup.

export const TOKEN_PREFIX = "rb_";
const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^rb_[A-Za-z0-9_-]{43}$/;
/** Characters kept in clear (prefix + 4) so users can tell their tokens apart in lists. */
const DISPLAY_PREFIX_LENGTH = TOKEN_PREFIX.length + 4;

export interface NewApiToken {
  /** The token itself: shown to its owner once, never stored. */
  token: string;
  /** Hex SHA-256 of the token: what ApiToken.tokenHash stores. */
  tokenHash: string;
  /** First characters of the token: what ApiToken.prefix stores. */
  prefix: string;
}

export function generateApiToken(): NewApiToken {
  const token = TOKEN_PREFIX + randomBytes(TOKEN_BYTES).toString("base64url");
  return { token, tokenHash: hashApiToken(token), prefix: tokenDisplayPrefix(token) };
}

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function tokenDisplayPrefix(token: string): string {
  return token.slice(0, DISPLAY_PREFIX_LENGTH);
}

/** True when `token` has the shape of a Runboard API token (checked before any lookup). */
export function isApiTokenFormat(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

// Team invites are tokens of the same strength with their own prefix, so an invite pasted where
// an API token belongs (or the reverse) is refused by its shape, before any lookup.

export const INVITE_TOKEN_PREFIX = "rbi_";
const INVITE_TOKEN_PATTERN = /^rbi_[A-Za-z0-9_-]{43}$/;

/** An invite token, its hash (TeamInvite.tokenHash) and display prefix (TeamInvite.prefix). */
export function generateInviteToken(): NewApiToken {
  const token = INVITE_TOKEN_PREFIX + randomBytes(TOKEN_BYTES).toString("base64url");
  return { token, tokenHash: hashApiToken(token), prefix: token.slice(0, INVITE_TOKEN_PREFIX.length + 4) };
}

/** True when `token` has the shape of a team invite token. */
export function isInviteTokenFormat(token: string): boolean {
  return INVITE_TOKEN_PATTERN.test(token);
}

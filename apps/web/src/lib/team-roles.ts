/** What each role may do in the team settings pages (the API's permissions, apps/api/README.md). */
export type Role = "OWNER" | "MEMBER" | "VIEWER";

export const ROLES: Role[] = ["OWNER", "MEMBER", "VIEWER"];

export const ROLE_LABELS: Record<Role, string> = { OWNER: "Owner", MEMBER: "Member", VIEWER: "Viewer" };

export const ROLE_COLORS: Record<Role, string> = { OWNER: "grape", MEMBER: "runboard", VIEWER: "gray" };

/** member:manage and member:invite: owners only. */
export const canManageMembers = (role: Role) => role === "OWNER";
/** audit:read: owners only. */
export const canReadAudit = (role: Role) => role === "OWNER";
/** Viewers see the team read-only: the API lets them leave, but the pages offer no destructive action to them. */
export const canLeave = (role: Role) => role !== "VIEWER";

/** The API's message without urql's "[GraphQL] " prefix. */
export function apiMessage(message: string | undefined, fallback: string): string {
  return (message ?? fallback).replace(/^\[(GraphQL|Network)\]\s*/, "");
}

/** A token's state at `now`: revoked, expired or active. */
export function tokenState(token: { revokedAt?: string | null; expiresAt?: string | null }, now: number): "revoked" | "expired" | "active" {
  if (token.revokedAt) return "revoked";
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return "expired";
  return "active";
}

export const TOKEN_EXPIRY_CHOICES: Array<{ value: string; label: string; days: number | null }> = [
  { value: "never", label: "Never", days: null },
  { value: "7", label: "In 7 days", days: 7 },
  { value: "30", label: "In 30 days", days: 30 },
  { value: "90", label: "In 90 days", days: 90 },
  { value: "365", label: "In a year", days: 365 },
];

/** The expiresAt to send for a choice of TOKEN_EXPIRY_CHOICES (null: never). */
export function expiryFor(choice: string, now: number): string | null {
  const days = TOKEN_EXPIRY_CHOICES.find((entry) => entry.value === choice)?.days ?? null;
  return days === null ? null : new Date(now + days * 86_400_000).toISOString();
}

const DETAIL_ORDER = ["email", "name", "prefix", "role", "from", "to"];
const detailRank = (key: string) => (DETAIL_ORDER.includes(key) ? DETAIL_ORDER.indexOf(key) : DETAIL_ORDER.length);

/** An audit event's detail as "key: value" pairs, for a table cell: who first, then from → to (jsonb keeps no key order). */
export function auditDetail(detail: unknown): string {
  if (detail === null || typeof detail !== "object") return detail === null || detail === undefined ? "" : String(detail);
  return Object.entries(detail as Record<string, unknown>)
    .sort(([a], [b]) => detailRank(a) - detailRank(b))
    .filter(([, value]) => value !== null && value !== undefined && value !== "")
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(", ");
}

/** The link an invite token is accepted from. */
export function inviteLink(origin: string, token: string): string {
  return `${origin}/join?token=${encodeURIComponent(token)}`;
}

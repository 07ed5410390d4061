/** The caller: who they are, their teams, and their API tokens. */
import {
  type Database,
  generateApiToken,
  hashApiToken,
  isApiTokenFormat,
  notFound,
  type Role,
  TEAM_COLUMNS,
  type TeamRecord,
  unauthenticated,
} from "@runboard/db";
import { z } from "zod";
import { id, name, parseArgs } from "../validation.ts";
import { recordTokenAudit } from "./audit.ts";
import type { Caller } from "./permissions.ts";

/** lastUsedAt is written at most once a minute per token, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiTokenRecord {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  expiresAt: Date | null;
}

const TOKEN_COLUMNS = `id, name, prefix, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt",
  expires_at AS "expiresAt"`;

interface TokenOwnerRow {
  tokenId: string;
  lastUsedAt: Date | null;
  userId: string;
  email: string;
  name: string;
  memberships: Array<{ teamId: string; role: Role }>;
}

/**
 * The caller behind each token matched by `match` that is still valid: user and memberships, one
 * row per token. The one definition of a valid token, for requests and open websockets alike.
 */
const callersWhere = (match: string) =>
  `SELECT t.id AS "tokenId", t.last_used_at AS "lastUsedAt", u.id AS "userId", u.email, u.name,
     coalesce(json_agg(json_build_object('teamId', m.team_id, 'role', m.role))
       FILTER (WHERE m.team_id IS NOT NULL), '[]') AS memberships
   FROM api_token t JOIN app_user u ON u.id = t.user_id LEFT JOIN membership m ON m.user_id = u.id
   WHERE ${match} AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
   GROUP BY t.id, u.id`;

function callerOf(row: TokenOwnerRow): Caller {
  const roles = new Map(row.memberships.map((m) => [m.teamId, m.role] as const));
  return { userId: row.userId, email: row.email, name: row.name, tokenId: row.tokenId, roles };
}

/** Resolves a bearer token to its caller, in one query; throws UNAUTHENTICATED. */
export async function authenticate(db: Database, authorization: string | undefined): Promise<Caller> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? "");
  if (match?.[1] === undefined) throw unauthenticated("send Authorization: Bearer <token>");
  if (!isApiTokenFormat(match[1])) throw unauthenticated("token is malformed");
  const [row] = await db.rows<TokenOwnerRow>(callersWhere("t.token_hash = $1"), [hashApiToken(match[1])]);
  if (row === undefined) throw unauthenticated("token is unknown, revoked or expired");
  if (row.lastUsedAt === null || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.run(`UPDATE api_token SET last_used_at = now() WHERE id = $1`, [row.tokenId]);
  }
  return callerOf(row);
}

/** The callers of those tokens that are still valid, by token id, in one query (revoked and expired tokens are absent). */
export async function validCallers(db: Database, tokenIds: readonly string[]): Promise<Map<string, Caller>> {
  const rows = await db.rows<TokenOwnerRow>(callersWhere("t.id = ANY($1::uuid[])"), [tokenIds]);
  return new Map(rows.map((row) => [row.tokenId, callerOf(row)]));
}

export async function listTeams(db: Database, caller: Caller): Promise<Array<TeamRecord & { role: Role }>> {
  const teams = await db.rows<TeamRecord>(`SELECT ${TEAM_COLUMNS} FROM team t WHERE t.id = ANY($1::uuid[]) ORDER BY t.name`, [[...caller.roles.keys()]]);
  return teams.map((team) => ({ ...team, role: caller.roles.get(team.id) ?? "VIEWER" }));
}

export async function listApiTokens(db: Database, caller: Caller): Promise<ApiTokenRecord[]> {
  return db.rows<ApiTokenRecord>(`SELECT ${TOKEN_COLUMNS} FROM api_token WHERE user_id = $1 ORDER BY created_at`, [caller.userId]);
}

const createTokenArgs = z.object({
  name,
  expiresAt: z
    .date()
    .refine((date) => date.getTime() > Date.now(), { message: "must be in the future" })
    .nullish(),
});

/** Any user may create tokens for themself, with an optional expiry; the token is returned this once. */
export async function createApiToken(db: Database, caller: Caller, args: unknown) {
  const input = parseArgs(createTokenArgs, args);
  const { token, tokenHash, prefix } = generateApiToken();
  const apiToken = await db.transaction(async (tx) => {
    const [created] = await tx.rows<ApiTokenRecord>(
      `INSERT INTO api_token (id, user_id, name, token_hash, prefix, expires_at) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5)
       RETURNING ${TOKEN_COLUMNS}`,
      [caller.userId, input.name, tokenHash, prefix, input.expiresAt ?? null],
    );
    if (created === undefined) throw new Error("insert returned no token");
    await recordTokenAudit(tx, caller.userId, "TOKEN_CREATED", created.id, {
      name: created.name,
      prefix: created.prefix,
      expiresAt: created.expiresAt?.toISOString() ?? null,
    });
    return created;
  });
  return { token, apiToken };
}

/** Revoking is idempotent (audited once); another user's token reads as not found. */
export async function revokeApiToken(db: Database, caller: Caller, args: unknown): Promise<ApiTokenRecord> {
  const input = parseArgs(z.object({ id }), args);
  return db.transaction(async (tx) => {
    const [revoked] = await tx.rows<ApiTokenRecord>(
      `UPDATE api_token SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING ${TOKEN_COLUMNS}`,
      [input.id, caller.userId],
    );
    if (revoked !== undefined) {
      await recordTokenAudit(tx, caller.userId, "TOKEN_REVOKED", revoked.id, { name: revoked.name, prefix: revoked.prefix });
      return revoked;
    }
    const [earlier] = await tx.rows<ApiTokenRecord>(`SELECT ${TOKEN_COLUMNS} FROM api_token WHERE id = $1 AND user_id = $2`, [input.id, caller.userId]);
    if (earlier === undefined) throw notFound("apiToken", input.id);
    return earlier;
  });
}

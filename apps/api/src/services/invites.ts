/**
 * Team invites. An owner creates an invite for a role, either bound to an email address or as a
 * link anyone holding it may use; the API returns its token once and stores only the token's
 * SHA-256, as for API tokens (no mail is sent: the owner passes the token on). The invited user
 * accepts it with their own API token and joins with the invite's role. An invite works once,
 * until it expires or an owner revokes it.
 */
import {
  badInput,
  type Database,
  generateInviteToken,
  hashApiToken,
  isInviteTokenFormat,
  notFound,
  type Queryable,
  type Role,
  TEAM_COLUMNS,
  type TeamRecord,
} from "@runboard/db";
import { z } from "zod";
import { id, parseArgs } from "../validation.ts";
import { recordAudit } from "./audit.ts";
import { authorize, type Caller } from "./permissions.ts";
import { role } from "./teams.ts";

interface Scope {
  db: Database;
  caller: Caller;
}

export interface InviteRecord {
  id: string;
  teamId: string;
  role: Role;
  email: string | null;
  prefix: string;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

const INVITE_COLUMNS = `i.id, i.team_id AS "teamId", i.role, i.email, i.prefix, i.created_at AS "createdAt",
  i.expires_at AS "expiresAt", i.accepted_at AS "acceptedAt", i.revoked_at AS "revokedAt"`;

export const DEFAULT_INVITE_HOURS = 7 * 24;
export const MAX_INVITE_HOURS = 30 * 24;

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, { message: "must be at most 254 characters" })
  .pipe(z.email({ message: "must be an email address" }));

const inviteArgs = z.object({
  input: z.object({
    teamId: id,
    role,
    email: email.nullish(),
    expiresInHours: z
      .number()
      .int({ message: "must be a whole number" })
      .min(1, { message: "must be ≥ 1" })
      .max(MAX_INVITE_HOURS, { message: `must be ≤ ${MAX_INVITE_HOURS} (30 days)` })
      .nullish(),
  }),
});

/** Owners invite for any role; the token comes back this once. */
export async function inviteMember({ db, caller }: Scope, args: unknown): Promise<{ token: string; invite: InviteRecord }> {
  const { input } = parseArgs(inviteArgs, args);
  authorize(caller, input.teamId, "member:invite", { kind: "team", id: input.teamId });
  const inviteEmail = input.email ?? null;
  if (inviteEmail !== null && (await isMemberByEmail(db, input.teamId, inviteEmail))) {
    throw badInput("input.email", "belongs to a member of this team already");
  }
  const { token, tokenHash, prefix } = generateInviteToken();
  const hours = input.expiresInHours ?? DEFAULT_INVITE_HOURS;
  const invite = await db.transaction(async (tx) => {
    const [created] = await tx.rows<InviteRecord>(
      `INSERT INTO team_invite AS i (id, team_id, role, email, token_hash, prefix, created_by_id, expires_at)
       VALUES (gen_random_uuid(), $1, $2::"Role", $3, $4, $5, $6, now() + make_interval(hours => $7))
       RETURNING ${INVITE_COLUMNS}`,
      [input.teamId, input.role, inviteEmail, tokenHash, prefix, caller.userId, hours],
    );
    if (created === undefined) throw new Error("insert returned no invite");
    await recordAudit(tx, {
      teamId: input.teamId,
      actorId: caller.userId,
      action: "INVITE_CREATED",
      subjectType: "INVITE",
      subjectId: created.id,
      detail: { role: created.role, email: created.email, expiresAt: created.expiresAt.toISOString() },
    });
    return created;
  });
  return { token, invite };
}

async function isMemberByEmail(db: Database, teamId: string, address: string): Promise<boolean> {
  const rows = await db.rows(`SELECT 1 FROM membership m JOIN app_user u ON u.id = m.user_id WHERE m.team_id = $1 AND lower(u.email) = $2`, [teamId, address]);
  return rows.length > 0;
}

/** The team's invites that can still be accepted, newest first. */
export async function listInvites({ db, caller }: Scope, args: unknown): Promise<InviteRecord[]> {
  const input = parseArgs(z.object({ teamId: id }), args);
  authorize(caller, input.teamId, "member:invite", { kind: "team", id: input.teamId });
  return db.rows<InviteRecord>(
    `SELECT ${INVITE_COLUMNS} FROM team_invite i
     WHERE i.team_id = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()
     ORDER BY i.created_at DESC, i.id`,
    [input.teamId],
  );
}

/** Revoking is idempotent; an accepted invite cannot be revoked (remove the member instead). */
export async function revokeInvite({ db, caller }: Scope, args: unknown): Promise<InviteRecord> {
  const input = parseArgs(z.object({ id }), args);
  const [found] = await db.rows<InviteRecord>(`SELECT ${INVITE_COLUMNS} FROM team_invite i WHERE i.id = $1`, [input.id]);
  if (found === undefined) throw notFound("invite", input.id);
  authorize(caller, found.teamId, "member:invite", { kind: "invite", id: input.id });
  if (found.acceptedAt !== null) throw badInput("id", "the invite was accepted already; remove the member instead");
  if (found.revokedAt !== null) return found;
  return db.transaction(async (tx) => {
    const [revoked] = await tx.rows<InviteRecord>(
      `UPDATE team_invite i SET revoked_at = now() WHERE i.id = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL
       RETURNING ${INVITE_COLUMNS}`,
      [input.id],
    );
    // Accepted or revoked since it was read: the caller sees it as it is now.
    if (revoked === undefined) throw badInput("id", "the invite was accepted or revoked meanwhile; read it again");
    await recordAudit(tx, {
      teamId: revoked.teamId,
      actorId: caller.userId,
      action: "INVITE_REVOKED",
      subjectType: "INVITE",
      subjectId: revoked.id,
      detail: { role: revoked.role, email: revoked.email },
    });
    return revoked;
  });
}

const acceptArgs = z.object({
  token: z.string().refine(isInviteTokenFormat, { message: "must be an invite token (rbi_ and 43 characters)" }),
});

/** Why an invite that could not be taken was refused, as the `token` argument's rule. */
async function refusal(tx: Queryable, tokenHash: string, callerEmail: string): Promise<Error> {
  const [invite] = await tx.rows<InviteRecord>(`SELECT ${INVITE_COLUMNS} FROM team_invite i WHERE i.token_hash = $1`, [tokenHash]);
  if (invite === undefined || invite.revokedAt !== null) return badInput("token", "the invite is unknown or was revoked");
  if (invite.acceptedAt !== null) return badInput("token", "the invite was used already; ask for a new one");
  if (invite.expiresAt.getTime() <= Date.now()) return badInput("token", "the invite has expired; ask for a new one");
  if (invite.email !== null && invite.email !== callerEmail) return badInput("token", "the invite is for another email address");
  return badInput("token", "the invite cannot be accepted");
}

/**
 * The caller joins the invite's team with its role. One UPDATE takes the invite only while it is
 * unused, unrevoked, unexpired and meant for the caller, so two concurrent accepts cannot both
 * use it; a caller who is a member already is refused and leaves the invite unused.
 */
export async function acceptInvite({ db, caller }: Scope, args: unknown): Promise<TeamRecord & { role: Role }> {
  const input = parseArgs(acceptArgs, args);
  const tokenHash = hashApiToken(input.token);
  const callerEmail = caller.email.toLowerCase();
  return db.transaction(async (tx) => {
    const [invite] = await tx.rows<InviteRecord>(
      `UPDATE team_invite i SET accepted_at = now(), accepted_by_id = $2
       WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()
         AND (i.email IS NULL OR i.email = $3)
       RETURNING ${INVITE_COLUMNS}`,
      [tokenHash, caller.userId, callerEmail],
    );
    if (invite === undefined) throw await refusal(tx, tokenHash, callerEmail);
    const joined = await tx.run(`INSERT INTO membership (team_id, user_id, role) VALUES ($1, $2, $3::"Role") ON CONFLICT DO NOTHING`, [
      invite.teamId,
      caller.userId,
      invite.role,
    ]);
    if (joined === 0) throw badInput("token", "you are a member of this team already");
    await recordAudit(tx, {
      teamId: invite.teamId,
      actorId: caller.userId,
      action: "MEMBER_JOINED",
      subjectType: "USER",
      subjectId: caller.userId,
      detail: { email: caller.email, role: invite.role, inviteId: invite.id },
    });
    const [team] = await tx.rows<TeamRecord>(`SELECT ${TEAM_COLUMNS} FROM team t WHERE t.id = $1`, [invite.teamId]);
    if (team === undefined) throw new Error("invite without its team");
    return { ...team, role: invite.role };
  });
}

/**
 * Teams and their members: create a team (its creator becomes its owner), list members, change
 * a member's role, remove a member, leave. A team always keeps at least one owner.
 *
 * Every change runs in one transaction that first locks the team's row, so concurrent changes of
 * one team's members happen one after the other (two owners demoting each other cannot leave the
 * team without an owner), and writes its audit event in that same transaction.
 *
 * Open websockets need no call from here: the session sweep (server/sessions.ts) re-reads every
 * open socket's memberships four times a second and closes those whose teams or roles changed,
 * so a removed member's sockets close within a second.
 */
import { badInput, type Database, notFound, type Queryable, Role, TEAM_COLUMNS, type TeamRecord } from "@runboard/db";
import { z } from "zod";
import { id, name, parseArgs } from "../validation.ts";
import { recordAudit } from "./audit.ts";
import { authorize, type Caller } from "./permissions.ts";
import { uniqueAs } from "./unique.ts";

interface Scope {
  db: Database;
  caller: Caller;
}

export interface MemberRecord {
  user: { id: string; email: string; name: string };
  role: Role;
  joinedAt: Date;
}

export const role = z.enum(Role, { message: "must be OWNER, MEMBER or VIEWER" });

const SLUG_RULE = "must be 1 to 60 lower-case letters, digits and single '-' between them";
const slug = z
  .string()
  .max(60, { message: SLUG_RULE })
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { message: SLUG_RULE });

/** "Vision Lab (Zürich)" → "vision-lab-zurich"; empty when the name has no letter or digit to keep. */
export function slugFromName(teamName: string): string {
  return teamName
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 60)
    .replace(/^-+|-+$/g, "");
}

const createTeamArgs = z.object({ input: z.object({ name, slug: slug.nullish() }) });

/** Any caller may create a team; they become its owner. */
export async function createTeam({ db, caller }: Scope, args: unknown): Promise<TeamRecord & { role: Role }> {
  const { input } = parseArgs(createTeamArgs, args);
  const teamSlug = input.slug ?? slugFromName(input.name);
  if (teamSlug === "") throw badInput("input.slug", `is needed when the name holds no letter or digit; ${SLUG_RULE}`);
  const team = await uniqueAs("input.slug", "a team with this slug exists; choose another", () =>
    db.transaction(async (tx) => {
      const [created] = await tx.rows<TeamRecord>(`INSERT INTO team AS t (id, name, slug) VALUES (gen_random_uuid(), $1, $2) RETURNING ${TEAM_COLUMNS}`, [
        input.name,
        teamSlug,
      ]);
      if (created === undefined) throw new Error("insert returned no team");
      await tx.run(`INSERT INTO membership (team_id, user_id, role) VALUES ($1, $2, 'OWNER')`, [created.id, caller.userId]);
      await recordAudit(tx, {
        teamId: created.id,
        actorId: caller.userId,
        action: "TEAM_CREATED",
        subjectType: "TEAM",
        subjectId: created.id,
        detail: { name: created.name, slug: created.slug },
      });
      return created;
    }),
  );
  return { ...team, role: "OWNER" };
}

const MEMBER_SELECT = `SELECT json_build_object('id', u.id, 'email', u.email, 'name', u.name) AS "user", m.role, m.created_at AS "joinedAt"
  FROM membership m JOIN app_user u ON u.id = m.user_id`;

/** Every member of a team the caller belongs to, by name. */
export async function listMembers({ db, caller }: Scope, args: unknown): Promise<MemberRecord[]> {
  const input = parseArgs(z.object({ teamId: id }), args);
  authorize(caller, input.teamId, "team:read", { kind: "team", id: input.teamId });
  return db.rows<MemberRecord>(`${MEMBER_SELECT} WHERE m.team_id = $1 ORDER BY u.name, u.email, u.id`, [input.teamId]);
}

/** Locks the team's row for the rest of the transaction: membership changes of one team queue here. */
async function lockTeam(tx: Queryable, teamId: string): Promise<void> {
  await tx.rows(`SELECT 1 FROM team WHERE id = $1 FOR UPDATE`, [teamId]);
}

async function memberOf(tx: Queryable, teamId: string, userId: string): Promise<MemberRecord> {
  const [member] = await tx.rows<MemberRecord>(`${MEMBER_SELECT} WHERE m.team_id = $1 AND m.user_id = $2`, [teamId, userId]);
  if (member === undefined) throw notFound("member", userId);
  return member;
}

/** True when `member` is the team's only owner (called with the team locked). */
async function isLastOwner(tx: Queryable, teamId: string, member: MemberRecord): Promise<boolean> {
  if (member.role !== "OWNER") return false;
  const [row] = await tx.rows<{ owners: number }>(`SELECT count(*)::int AS owners FROM membership WHERE team_id = $1 AND role = 'OWNER'`, [teamId]);
  return (row?.owners ?? 0) <= 1;
}

const changeRoleArgs = z.object({ input: z.object({ teamId: id, userId: id, role }) });

/** Owners change anyone's role, their own too, as long as the team keeps an owner. */
export async function changeMemberRole({ db, caller }: Scope, args: unknown): Promise<MemberRecord> {
  const { input } = parseArgs(changeRoleArgs, args);
  authorize(caller, input.teamId, "member:manage", { kind: "team", id: input.teamId });
  return db.transaction(async (tx) => {
    await lockTeam(tx, input.teamId);
    const member = await memberOf(tx, input.teamId, input.userId);
    if (member.role === input.role) return member;
    if (input.role !== "OWNER" && (await isLastOwner(tx, input.teamId, member))) {
      throw badInput("input.role", "the team's last owner cannot be demoted; make another member an owner first");
    }
    await tx.run(`UPDATE membership SET role = $3::"Role" WHERE team_id = $1 AND user_id = $2`, [input.teamId, input.userId, input.role]);
    await recordAudit(tx, {
      teamId: input.teamId,
      actorId: caller.userId,
      action: "MEMBER_ROLE_CHANGED",
      subjectType: "USER",
      subjectId: input.userId,
      detail: { email: member.user.email, from: member.role, to: input.role },
    });
    return { ...member, role: input.role };
  });
}

/** Deletes a membership and records why (removed by an owner, or left); returns it as it was. */
async function endMembership(db: Database, caller: Caller, teamId: string, userId: string, lastOwnerError: () => Error) {
  return db.transaction(async (tx) => {
    await lockTeam(tx, teamId);
    const member = await memberOf(tx, teamId, userId);
    if (await isLastOwner(tx, teamId, member)) throw lastOwnerError();
    await tx.run(`DELETE FROM membership WHERE team_id = $1 AND user_id = $2`, [teamId, userId]);
    await recordAudit(tx, {
      teamId,
      actorId: caller.userId,
      action: userId === caller.userId ? "MEMBER_LEFT" : "MEMBER_REMOVED",
      subjectType: "USER",
      subjectId: userId,
      detail: { email: member.user.email, role: member.role },
    });
    return member;
  });
}

/** Owners remove any member (another owner too), except the team's last owner. */
export async function removeMember({ db, caller }: Scope, args: unknown): Promise<MemberRecord> {
  const input = parseArgs(z.object({ teamId: id, userId: id }), args);
  authorize(caller, input.teamId, "member:manage", { kind: "team", id: input.teamId });
  return endMembership(db, caller, input.teamId, input.userId, () =>
    badInput("userId", "the team's last owner cannot be removed; make another member an owner first"),
  );
}

/** Any member may leave, except the team's last owner. */
export async function leaveTeam({ db, caller }: Scope, args: unknown): Promise<MemberRecord> {
  const input = parseArgs(z.object({ teamId: id }), args);
  authorize(caller, input.teamId, "team:read", { kind: "team", id: input.teamId });
  return endMembership(db, caller, input.teamId, caller.userId, () =>
    badInput("teamId", "the team's last owner cannot leave; make another member an owner first"),
  );
}

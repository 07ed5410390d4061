/**
 * The audit log: who changed a team's membership, invites, roles or API tokens, what, when and
 * on which subject. Events are written in the transaction of the change they record, so a change
 * that rolls back leaves no event, and an event never lacks its change. Owners read it newest first.
 */
import { type AuditAction, type AuditSubject, badInput, type Database, type Queryable } from "@runboard/db";
import { z } from "zod";
import { limits } from "../limits.ts";
import { id, parseArgs } from "../validation.ts";
import { authorize, type Caller } from "./permissions.ts";

export interface AuditEntry {
  teamId: string;
  actorId: string;
  action: AuditAction;
  subjectType: AuditSubject;
  subjectId: string;
  detail: Record<string, unknown>;
}

export async function recordAudit(tx: Queryable, entry: AuditEntry): Promise<void> {
  await tx.run(
    `INSERT INTO audit_event (team_id, actor_id, action, subject_type, subject_id, detail)
     VALUES ($1, $2, $3::"AuditAction", $4::"AuditSubject", $5, $6)`,
    [entry.teamId, entry.actorId, entry.action, entry.subjectType, entry.subjectId, JSON.stringify(entry.detail)],
  );
}

/**
 * A change to one of the actor's own API tokens: tokens belong to users, not teams, so the event
 * is written once for each team the actor belongs to now (its owners read it there), or once
 * without a team when they belong to none.
 */
export async function recordTokenAudit(
  tx: Queryable,
  actorId: string,
  action: Extract<AuditAction, "TOKEN_CREATED" | "TOKEN_REVOKED">,
  tokenId: string,
  detail: Record<string, unknown>,
): Promise<void> {
  await tx.run(
    `INSERT INTO audit_event (team_id, actor_id, action, subject_type, subject_id, detail)
     SELECT m.team_id, u.id, $2::"AuditAction", 'API_TOKEN', $3, $4
     FROM app_user u LEFT JOIN membership m ON m.user_id = u.id
     WHERE u.id = $1`,
    [actorId, action, tokenId, JSON.stringify(detail)],
  );
}

export interface AuditEventRecord {
  id: string;
  action: AuditAction;
  actor: { id: string; email: string; name: string } | null;
  subjectType: AuditSubject;
  subjectId: string;
  detail: unknown;
  createdAt: Date;
}

interface AuditRow extends Omit<AuditEventRecord, "actor"> {
  actorId: string | null;
  actorEmail: string | null;
  actorName: string | null;
}

const CURSOR_RULE = "must be a cursor returned by a previous page";
const DEFAULT_PAGE = 50;

/** A cursor is the id of the page's last event; the next page holds the older ones. */
const encodeCursor = (eventId: string): string => Buffer.from(eventId, "utf8").toString("base64url");

function decodeCursor(after: string): string {
  const eventId = Buffer.from(after, "base64url").toString("utf8");
  if (!/^[1-9]\d{0,18}$/.test(eventId)) throw badInput("after", CURSOR_RULE);
  return eventId;
}

const auditLogArgs = z.object({
  teamId: id,
  first: z
    .number()
    .int({ message: "must be a whole number" })
    .min(1, { message: "must be ≥ 1" })
    .max(limits.auditPage, { message: `must be ≤ ${limits.auditPage}` })
    .nullish(),
  after: z.string().max(100, { message: CURSOR_RULE }).nullish(),
});

/** A page of the team's audit events, newest first; owners only (audit:read). */
export async function listAuditEvents(scope: { db: Database; caller: Caller }, args: unknown) {
  const input = parseArgs(auditLogArgs, args);
  authorize(scope.caller, input.teamId, "audit:read", { kind: "team", id: input.teamId });
  const first = input.first ?? DEFAULT_PAGE;
  const before = input.after === null || input.after === undefined ? null : decodeCursor(input.after);
  const rows = await scope.db.rows<AuditRow>(
    `SELECT a.id::text AS id, a.action, a.subject_type AS "subjectType", a.subject_id AS "subjectId", a.detail,
       a.created_at AS "createdAt", a.actor_id AS "actorId", u.email AS "actorEmail", u.name AS "actorName"
     FROM audit_event a LEFT JOIN app_user u ON u.id = a.actor_id
     WHERE a.team_id = $1 AND ($2::bigint IS NULL OR a.id < $2::bigint)
     ORDER BY a.id DESC
     LIMIT $3`,
    [input.teamId, before, first + 1],
  );
  const page = rows.slice(0, first);
  const last = page.at(-1);
  return {
    nodes: page.map(({ actorId, actorEmail, actorName, ...event }) => ({
      ...event,
      actor: actorId === null ? null : { id: actorId, email: actorEmail ?? "", name: actorName ?? "" },
    })),
    pageInfo: { endCursor: last === undefined ? null : encodeCursor(last.id), hasNextPage: rows.length > first },
  };
}

import { forbidden, notFound, type Role } from "@runboard/db";
/**
 * Named permissions and the roles that hold them. Services call `authorize` before reading
 * or writing anything of a team; resolvers never check roles themselves.
 */

export type Permission =
  | "team:read"
  | "project:write"
  | "experiment:write"
  | "dataset:write"
  | "architecture:write"
  | "run:write"
  | "run:launch"
  | "run:cancel"
  /** importDataset/importArchitecture from a path on the server (inside the source roots). */
  | "path:import"
  /** Create, list and revoke the team's invites. */
  | "member:invite"
  /** Change a member's role, remove a member. */
  | "member:manage"
  /** Read the team's audit log. */
  | "audit:read";

const READ: Permission[] = ["team:read"];
const WRITE: Permission[] = [...READ, "project:write", "experiment:write", "dataset:write", "architecture:write", "run:write", "run:launch", "run:cancel"];

const OWN: Permission[] = [...WRITE, "path:import", "member:invite", "member:manage", "audit:read"];

const grants: Record<Role, ReadonlySet<Permission>> = {
  OWNER: new Set(OWN),
  MEMBER: new Set(WRITE),
  VIEWER: new Set(READ),
};

export interface Caller {
  userId: string;
  email: string;
  name: string;
  tokenId: string;
  /** The caller's role in each of their teams, by team id. */
  roles: ReadonlyMap<string, Role>;
}

export function can(caller: Caller, teamId: string, permission: Permission): boolean {
  const role = caller.roles.get(teamId);
  return role !== undefined && grants[role].has(permission);
}

/**
 * Throws NOT_FOUND when the caller is not in the team (so other teams' records stay
 * invisible) and FORBIDDEN when their role lacks the permission.
 */
export function authorize(caller: Caller, teamId: string, permission: Permission, target: { kind: string; id: string }): void {
  if (!caller.roles.has(teamId)) throw notFound(target.kind, target.id);
  if (!can(caller, teamId, permission)) throw forbidden(permission);
}

/** The caller's teams where they hold the permission, optionally narrowed to one team. */
export function teamsWith(caller: Caller, permission: Permission, onlyTeamId?: string | null): string[] {
  const teams = [...caller.roles.keys()].filter((teamId) => can(caller, teamId, permission));
  if (onlyTeamId === undefined || onlyTeamId === null) return teams;
  if (!teams.includes(onlyTeamId)) throw notFound("team", onlyTeamId);
  return [onlyTeamId];
}

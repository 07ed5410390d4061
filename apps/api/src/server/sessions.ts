/**
 * Websocket sessions follow their token. A socket keeps the caller it was opened with only
 * while that token stays valid and its teams and roles stay as they were:
 * - every operation on the socket re-reads the token first (one query, as an HTTP request does);
 * - a sweep every quarter second re-reads all tokens with open sockets in one query and closes
 *   the sockets of revoked tokens (4401, final) and of callers whose memberships changed (4403:
 *   the client may reconnect and gets its roles as they are now). Closing a socket ends its
 *   subscriptions.
 * The sweep reads the tables rather than waiting for a notification, so it sees a revocation or
 * a removed member from any replica or tool alike, and a token expiry once tokens have one.
 */
import { type Database, unauthenticated } from "@runboard/db";
import { GraphQLError } from "graphql";
import { CloseCode } from "graphql-ws";
import type { WebSocket } from "ws";
import type { Caller } from "../services/permissions.ts";
import { authenticate, validCallers } from "../services/viewer.ts";

export const SESSION_SWEEP_MS = 250;

interface Session {
  authorization: string | undefined;
  caller: Caller;
}

interface Ending {
  code: CloseCode.Unauthorized | CloseCode.Forbidden;
  reason: string;
  error: GraphQLError;
}

function sameRoles(opened: Caller["roles"], now: Caller["roles"]): boolean {
  return opened.size === now.size && [...opened].every(([teamId, role]) => now.get(teamId) === role);
}

/** Why a session opened as `opened` must end, now that its token reads as `now` (null: revoked or unknown). */
function endingOf(opened: Caller, now: Caller | null): Ending | null {
  if (now === null) return { code: CloseCode.Unauthorized, reason: "token revoked", error: unauthenticated("token is unknown or revoked") };
  if (sameRoles(opened.roles, now.roles)) return null;
  const reason = "team memberships changed; reconnect";
  return { code: CloseCode.Forbidden, reason, error: new GraphQLError(reason, { extensions: { code: "FORBIDDEN" } }) };
}

export class Sessions {
  private readonly open = new Map<WebSocket, Session>();
  private readonly timer: NodeJS.Timeout;
  private sweeping = false;
  private failing = false;

  constructor(
    private readonly db: Database,
    sweepMs = SESSION_SWEEP_MS,
  ) {
    this.timer = setInterval(() => void this.sweep(), sweepMs);
    this.timer.unref();
  }

  /** Authenticates a new socket; false refuses it. */
  async connect(socket: WebSocket, authorization: string | undefined): Promise<boolean> {
    let caller: Caller;
    try {
      caller = await authenticate(this.db, authorization);
    } catch {
      return false;
    }
    this.open.set(socket, { authorization, caller });
    socket.once("close", () => this.open.delete(socket));
    return true;
  }

  caller(socket: WebSocket): Caller | undefined {
    return this.open.get(socket)?.caller;
  }

  /** Re-reads the socket's token before an operation: null lets it run; else its refusal, and the socket closes. */
  async recheck(socket: WebSocket): Promise<GraphQLError | null> {
    const session = this.open.get(socket);
    if (session === undefined) return unauthenticated("not authenticated");
    let now: Caller | null;
    try {
      now = await authenticate(this.db, session.authorization);
    } catch (error) {
      // Only a refused token ends the session; an outage refuses this operation alone.
      if (!(error instanceof GraphQLError)) return new GraphQLError("the token could not be checked; try again");
      if (error.extensions.code !== "UNAUTHENTICATED") return error;
      now = null;
    }
    const ending = endingOf(session.caller, now);
    if (ending === null) {
      session.caller = now!;
      return null;
    }
    this.open.delete(socket);
    // Closed once the refusal has been sent.
    setImmediate(() => socket.close(ending.code, ending.reason));
    return ending.error;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async sweep(): Promise<void> {
    if (this.sweeping || this.open.size === 0) return;
    this.sweeping = true;
    try {
      const tokenIds = new Set([...this.open.values()].map((session) => session.caller.tokenId));
      const callers = await validCallers(this.db, [...tokenIds]);
      for (const [socket, session] of this.open) {
        const ending = endingOf(session.caller, callers.get(session.caller.tokenId) ?? null);
        if (ending !== null) this.end(socket, ending);
      }
      this.failing = false;
    } catch (error) {
      // Once per outage, not four times a second; sockets stay as they are until tokens can be read.
      if (!this.failing) console.error(`websocket sessions: cannot check tokens: ${error instanceof Error ? error.message : String(error)}`);
      this.failing = true;
    } finally {
      this.sweeping = false;
    }
  }

  private end(socket: WebSocket, ending: Ending): void {
    this.open.delete(socket);
    socket.close(ending.code, ending.reason);
  }
}

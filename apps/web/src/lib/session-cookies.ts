/** Cookie names and attributes; the session cookie holds the API token and is httpOnly. */
export const SESSION_COOKIE = "runboard_session";
export const TEAM_COOKIE = "runboard_team";
export const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;

export function sessionCookieOptions(secure: boolean) {
  return { httpOnly: true, sameSite: "lax" as const, secure, path: "/", maxAge: SESSION_MAX_AGE_S };
}

export function teamCookieOptions(secure: boolean) {
  return { httpOnly: true, sameSite: "lax" as const, secure, path: "/", maxAge: SESSION_MAX_AGE_S };
}

/** "Bearer <token>" for the API, or undefined without a session. */
export function bearer(token: string | undefined): string | undefined {
  return token === undefined || token === "" ? undefined : `Bearer ${token}`;
}

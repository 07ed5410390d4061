/**
 * The invite page's form posts here: the signed-in user accepts the invite with their session's
 * token (acceptInvite), the joined team becomes the chosen one, and the browser goes to its
 * members. A refused invite goes back to the invite page with the API's reason.
 */
import { NextResponse, type NextRequest } from "next/server";
import { AcceptInviteDocument } from "../../../../graphql/team.ts";
import { ApiError, apiRequest } from "../../../../lib/api-fetch.ts";
import { readWebEnv } from "../../../../lib/env.ts";
import { SESSION_COOKIE, TEAM_COOKIE, bearer, teamCookieOptions } from "../../../../lib/session-cookies.ts";

function redirectTo(path: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { location: path } });
}

export async function POST(request: NextRequest): Promise<NextResponse> {
  const form = await request.formData();
  const token = String(form.get("token") ?? "").trim();
  const back = (error: string) => redirectTo(`/join?token=${encodeURIComponent(token)}&error=${encodeURIComponent(error)}`);
  const authorization = bearer(request.cookies.get(SESSION_COOKIE)?.value);
  if (authorization === undefined) return redirectTo(`/signin?next=${encodeURIComponent(`/join?token=${token}`)}`);
  if (token === "") return back("the invite link holds no token");
  const env = readWebEnv();
  try {
    const { acceptInvite } = await apiRequest(env.apiUrl, authorization, AcceptInviteDocument, { token });
    const response = redirectTo(`/settings/members?joined=${encodeURIComponent(acceptInvite.name)}`);
    response.cookies.set(TEAM_COOKIE, acceptInvite.id, teamCookieOptions(env.secureCookies));
    return response;
  } catch (error) {
    if (error instanceof ApiError && error.unauthenticated) return redirectTo(`/signin?error=expired&next=${encodeURIComponent(`/join?token=${token}`)}`);
    return back(error instanceof Error ? error.message : "the invite was not accepted");
  }
}

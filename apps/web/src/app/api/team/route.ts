/** The team switcher posts here: the chosen team id goes in a cookie, then back to the page. */
import { NextResponse, type NextRequest } from "next/server";
import { readWebEnv } from "../../../lib/env.ts";
import { TEAM_COOKIE, teamCookieOptions } from "../../../lib/session-cookies.ts";

export async function POST(request: NextRequest): Promise<NextResponse> {
  const form = await request.formData();
  const teamId = String(form.get("teamId") ?? "");
  const back = String(form.get("back") ?? "/runs");
  // Only same-site paths: the form field must not become an open redirect.
  const path = back.startsWith("/") && !back.startsWith("//") ? back : "/runs";
  const response = new NextResponse(null, { status: 303, headers: { location: path } });
  if (teamId !== "") response.cookies.set(TEAM_COOKIE, teamId, teamCookieOptions(readWebEnv().secureCookies));
  return response;
}

/**
 * The web app's configuration, read and validated in this one place (server side only).
 * API_URL is the GraphQL endpoint; its websocket twin serves subscriptions.
 */
export interface WebEnv {
  apiUrl: string;
  apiWsUrl: string;
  /** Mark cookies Secure (set when the dashboard is served over https). */
  secureCookies: boolean;
}

export const DEFAULT_API_URL = "http://localhost:4000/graphql";

export function readWebEnv(source: Record<string, string | undefined> = process.env): WebEnv {
  const raw = source.API_URL ?? DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`invalid configuration: API_URL must be an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`invalid configuration: API_URL must use http or https, got "${url.protocol}"`);
  }
  const secure = source.RUNBOARD_SECURE_COOKIES ?? "false";
  if (secure !== "true" && secure !== "false") {
    throw new Error(`invalid configuration: RUNBOARD_SECURE_COOKIES must be "true" or "false", got "${secure}"`);
  }
  const ws = new URL(url);
  ws.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return { apiUrl: url.toString(), apiWsUrl: ws.toString(), secureCookies: secure === "true" };
}

/**
 * A real API over a given database, for the browser tests and the benchmark: the default team
 * and its token are seeded by the db package, everything else goes through GraphQL.
 */
import { createDb, ensureDefaultTeam } from "@runboard/db";
import { createApiServer, type ApiServer } from "@runboard/api";

export interface ApiStack {
  apiUrl: string;
  token: string;
  teamId: string;
  api: ApiServer;
  close(): Promise<void>;
}

/** launch: where launched runs' artifacts live, which server folders may be imported, and the backbone catalog and its cache. */
export async function startApiStack(
  databaseUrl: string,
  launch?: { artifactRoot: string; sourceRoots: string[]; modelCatalog?: { catalogFile: string; cacheDir: string } },
): Promise<ApiStack> {
  const db = createDb(databaseUrl);
  const seeded = await ensureDefaultTeam(db.prisma, { teamSlug: `web-${Date.now().toString(36)}` });
  if (!seeded.created) throw new Error("the database already has users: give the web tests an empty database");
  const api = await createApiServer({ pool: db.pool, limits: { maxDepth: 12, maxCost: 1_000_000 }, ...(launch ? { launch } : {}) });
  const apiUrl = await api.listen(0, "127.0.0.1");
  return {
    apiUrl,
    token: seeded.token,
    teamId: seeded.teamId,
    api,
    async close() {
      await api.close();
      await db.close();
    },
  };
}

export async function gql<Data = Record<string, any>>(
  stack: Pick<ApiStack, "apiUrl" | "token">,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Data> {
  const response = await fetch(stack.apiUrl, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${stack.token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Data; errors?: unknown[] };
  if (body.errors !== undefined || body.data === undefined) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

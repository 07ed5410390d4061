import type { PrismaClient } from "./generated/prisma/client.ts";
import { generateApiToken } from "./tokens.ts";

export interface DefaultTeamOptions {
  teamName?: string;
  teamSlug?: string;
  userEmail?: string;
  userName?: string;
  tokenName?: string;
}

export type DefaultTeamResult = { created: false } | { created: true; teamId: string; userId: string; tokenId: string; token: string };

// Any constant works: it only has to be the same for every process that seeds this database.
const SEED_LOCK_KEY = 7_262_001;

/**
 * On the first start of an empty database (no user yet), creates a default team, its owner and
 * an API token for that owner, in one transaction. Returns the token in clear, once: the caller
 * prints it, since only its hash is stored. On every later start it changes nothing. Concurrent
 * starts (several API replicas) serialize on an advisory lock, so exactly one of them seeds.
 */
export async function ensureDefaultTeam(prisma: PrismaClient, options: DefaultTeamOptions = {}): Promise<DefaultTeamResult> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY})`;
    if ((await tx.user.count()) > 0) return { created: false };
    const team = await tx.team.create({
      data: { name: options.teamName ?? "Default team", slug: options.teamSlug ?? "default" },
    });
    const user = await tx.user.create({
      data: {
        email: options.userEmail ?? "admin@localhost",
        name: options.userName ?? "Admin",
        memberships: { create: { teamId: team.id, role: "OWNER" } },
      },
    });
    const { token, tokenHash, prefix } = generateApiToken();
    const apiToken = await tx.apiToken.create({
      data: { userId: user.id, name: options.tokenName ?? "default", tokenHash, prefix },
    });
    return { created: true, teamId: team.id, userId: user.id, tokenId: apiToken.id, token };
  });
}

import type { Metadata } from "next";
import { ApiTokensPanel } from "../../../../components/settings/ApiTokensPanel.tsx";
import { ApiTokensDocument } from "../../../../graphql/team.ts";
import { requireSession, serverQuery, sessionToken } from "../../../../lib/session.ts";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const { viewer } = await requireSession();
  const { me } = await serverQuery(ApiTokensDocument, {});
  // The token of this browser session (the cookie is httpOnly: only its prefix is matched here,
  // and only the matching id goes to the page), so revoking it warns that it signs you out.
  const token = (await sessionToken()) ?? "";
  const sessionTokenId = me.apiTokens.find((candidate) => !candidate.revokedAt && token.startsWith(candidate.prefix))?.id ?? null;
  return <ApiTokensPanel email={viewer.user.email} tokens={me.apiTokens} sessionTokenId={sessionTokenId} />;
}

import { LaunchForm } from "../../../components/launch/LaunchForm.tsx";
import { CloneSourceDocument, LaunchCatalogDocument } from "../../../graphql/launch.ts";
import { requireSession, serverQuery } from "../../../lib/session.ts";

export default async function LaunchPage({ searchParams }: { searchParams: Promise<{ from?: string }> }) {
  const session = await requireSession();
  const { from } = await searchParams;
  const [catalog, source] = await Promise.all([
    serverQuery(LaunchCatalogDocument, { teamId: session.team.id }),
    from ? serverQuery(CloneSourceDocument, { id: from }).then((data) => data.run) : Promise.resolve(null),
  ]);
  if (from && source === null) return <p role="alert">No run with id {from} in your teams to clone.</p>;
  return <LaunchForm key={from ?? "new"} catalog={catalog} source={source} />;
}

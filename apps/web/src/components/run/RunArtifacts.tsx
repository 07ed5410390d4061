"use client";
/** The run's artifacts with downloads (through the web app's proxy of the API's artifact route), and its interpretation views. */
import { useEffect } from "react";
import { useQuery } from "urql";
import { RunArtifactsDocument } from "../../graphql/launch.ts";
import { artifactHref, formatBytes, interpretationArtifacts } from "../../lib/artifacts.ts";
import { formatDate } from "../../lib/format.ts";
import { Interpretation } from "./Interpretation.tsx";

/** Artifacts the browser can draw inline get a thumbnail (the worker's confusion matrix, top losses, Grad-CAM and lr_find plots). */
const IMAGE = /\.(png|jpe?g|gif|webp)$/i;

export function RunArtifacts({ runId, status }: { runId: string; status: string | undefined }) {
  const [{ data, error }, refetch] = useQuery({ query: RunArtifactsDocument, variables: { id: runId }, requestPolicy: "cache-and-network" });
  // Artifacts are written at the end of a run (lr_find at its start): look again when the status changes.
  useEffect(() => refetch({ requestPolicy: "network-only" }), [status, refetch]);
  const artifacts = data?.run?.artifacts ?? [];
  return (
    <>
      <Interpretation runId={runId} artifacts={interpretationArtifacts(artifacts)} />
      <section aria-label="Artifacts">
        <h2>Artifacts</h2>
        {error && (
          <p role="alert" className="error">
            {error.message}
          </p>
        )}
        {artifacts.length === 0 ? (
          <p className="muted">No artifacts yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Preview</th>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col">sha256</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {artifacts.map((artifact) => (
                <tr key={artifact.id}>
                  <td className="artifact-preview">
                    {IMAGE.test(artifact.name) ? (
                      <a href={artifactHref(artifact.id, true)} target="_blank" rel="noreferrer" aria-label={`Open ${artifact.name}`}>
                        {/* eslint-disable-next-line @next/next/no-img-element -- an artifact behind the authenticated proxy, not a static asset */}
                        <img src={artifactHref(artifact.id, true)} alt={`Preview of ${artifact.name}`} loading="lazy" />
                      </a>
                    ) : (
                      <span className="muted">–</span>
                    )}
                  </td>
                  <td>
                    <a href={artifactHref(artifact.id)} download={artifact.name}>
                      {artifact.name}
                    </a>
                  </td>
                  <td>{artifact.kind}</td>
                  <td className="num">{formatBytes(artifact.bytes)}</td>
                  <td>
                    <code title={artifact.sha256}>{artifact.sha256.slice(0, 12)}</code>
                  </td>
                  <td>{formatDate(artifact.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

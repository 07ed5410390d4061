"use client";
/**
 * Upload a dataset archive or a model file, then import it: the file goes through /api/uploads
 * with upload progress, and the returned uploadId is passed to importDataset/importArchitecture.
 */
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { ImportUploadedArchitectureDocument, ImportUploadedDatasetDocument } from "../../graphql/uploads.ts";
import { sendUpload, uploadHref, uploadPlan, type UploadTarget } from "../../lib/upload.ts";

type Phase = { step: "idle" } | { step: "uploading"; percent: number } | { step: "importing" } | { step: "done"; message: string } | { step: "failed"; message: string };

const ACCEPT: Record<UploadTarget, string> = { dataset: ".zip,.tar,.tar.gz,.tgz", architecture: ".onnx,.tflite" };

export function UploadForm({ target, teamId }: { target: UploadTarget; teamId: string }) {
  const router = useRouter();
  const [phase, setPhase] = useState<Phase>({ step: "idle" });
  const [, importDataset] = useMutation(ImportUploadedDatasetDocument);
  const [, importArchitecture] = useMutation(ImportUploadedArchitectureDocument);

  async function importUpload(name: string, uploadId: string): Promise<string> {
    const input = { teamId, name, uploadId };
    if (target === "dataset") {
      const result = await importDataset({ input });
      if (result.error || !result.data) throw new Error(result.error?.graphQLErrors[0]?.message ?? result.error?.message ?? "import failed");
      return `Imported ${result.data.importDataset.name}: ${result.data.importDataset.classNames.length} classes.`;
    }
    const result = await importArchitecture({ input });
    if (result.error || !result.data) throw new Error(result.error?.graphQLErrors[0]?.message ?? result.error?.message ?? "import failed");
    return `Imported ${result.data.importArchitecture.name}: ${result.data.importArchitecture.parameterCount?.toLocaleString("en-US") ?? "?"} parameters.`;
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get("file");
    const name = String(form.get("name") ?? "").trim();
    if (!(file instanceof File) || file.size === 0) return setPhase({ step: "failed", message: "file: choose a file" });
    if (name === "") return setPhase({ step: "failed", message: "name: must not be empty" });
    const plan = uploadPlan(target, file.name);
    if ("error" in plan) return setPhase({ step: "failed", message: plan.error });
    try {
      setPhase({ step: "uploading", percent: 0 });
      const { uploadId } = await sendUpload(new XMLHttpRequest(), uploadHref(teamId, plan), plan, file, (percent) => setPhase({ step: "uploading", percent }));
      setPhase({ step: "importing" });
      setPhase({ step: "done", message: await importUpload(name, uploadId) });
      router.refresh();
    } catch (error) {
      setPhase({ step: "failed", message: error instanceof Error ? error.message : String(error) });
    }
  }

  const busy = phase.step === "uploading" || phase.step === "importing";
  return (
    <form onSubmit={(event) => void submit(event)} className="row" aria-label={`Upload ${target === "dataset" ? "a dataset archive" : "a model file"}`}>
      <label>
        {target === "dataset" ? "Archive (.zip, .tar, .tar.gz)" : "Model (.onnx, .tflite)"}{" "}
        <input type="file" name="file" accept={ACCEPT[target]} required disabled={busy} />
      </label>
      <label>
        Name <input type="text" name="name" required maxLength={200} disabled={busy} />
      </label>
      <button type="submit" disabled={busy}>
        {busy ? "Uploading…" : "Upload and import"}
      </button>
      {phase.step === "uploading" && (
        <progress max={100} value={phase.percent} aria-label="Upload progress">
          {phase.percent}%
        </progress>
      )}
      {phase.step === "uploading" && <span aria-live="polite">{phase.percent}%</span>}
      {phase.step === "importing" && <span aria-live="polite">Importing…</span>}
      {phase.step === "done" && <span role="status">{phase.message}</span>}
      {phase.step === "failed" && (
        <span role="alert" className="error">
          {phase.message}
        </span>
      )}
    </form>
  );
}

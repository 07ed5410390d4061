"use client";
/**
 * Upload a dataset archive or a model file, then import it: the file goes through /api/uploads
 * with upload progress, and the returned uploadId is passed to importDataset/importArchitecture.
 */
import { Button, Group, Paper, Progress, Stack, Text, TextInput } from "@mantine/core";
import { IconUpload } from "@tabler/icons-react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { ImportUploadedArchitectureDocument, ImportUploadedDatasetDocument } from "../../graphql/uploads.ts";
import { sendUpload, uploadHref, uploadPlan, type UploadTarget } from "../../lib/upload.ts";

type Phase =
  { step: "idle" } | { step: "uploading"; percent: number } | { step: "importing" } | { step: "done"; message: string } | { step: "failed"; message: string };

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
  const fileLabel = target === "dataset" ? "Archive (.zip, .tar, .tar.gz)" : "Model (.onnx, .tflite)";
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      component="form"
      onSubmit={(event: FormEvent<HTMLFormElement>) => void submit(event)}
      aria-label={`Upload ${target === "dataset" ? "a dataset archive" : "a model file"}`}
    >
      <Group align="flex-end" gap="md">
        <Stack gap={4}>
          <Text component="label" htmlFor={`upload-${target}-file`} size="sm" fw={500}>
            {fileLabel}
          </Text>
          <input id={`upload-${target}-file`} type="file" name="file" accept={ACCEPT[target]} required disabled={busy} />
        </Stack>
        <TextInput label="Name" name="name" required maxLength={200} disabled={busy} w={220} />
        <Button type="submit" loading={busy} leftSection={<IconUpload size={16} aria-hidden />}>
          Upload and import
        </Button>
      </Group>
      {phase.step === "uploading" && (
        <Group mt="sm" gap="sm">
          <Progress value={phase.percent} aria-label="Upload progress" w={240} />
          <span aria-live="polite">{phase.percent}%</span>
        </Group>
      )}
      {phase.step === "importing" && (
        <Text mt="sm" aria-live="polite">
          Importing…
        </Text>
      )}
      {phase.step === "done" && (
        <Text mt="sm" role="status" c="teal">
          {phase.message}
        </Text>
      )}
      {phase.step === "failed" && (
        <Text mt="sm" role="alert" className="error">
          {phase.message}
        </Text>
      )}
    </Paper>
  );
}

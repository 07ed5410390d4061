"use client";
/**
 * The launch page: dataset, architecture, recipe (AUTO first, each with its description) and
 * every hyperparameter with its SDL default (AUTO's time budget among them), one run, a sweep
 * or a k-fold; prefilled from a run when cloning. Errors the API names by field are shown at
 * that field.
 */
import { Alert, Button, Group, Paper, Text, Title } from "@mantine/core";
import { IconRocket } from "@tabler/icons-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState, type FormEvent } from "react";
import { type CombinedError, useMutation } from "urql";
import { LAUNCH_FIELDS } from "../../generated/launch-fields.ts";
import type { CloneSourceQuery, LaunchCatalogQuery } from "../../gql/graphql.ts";
import { CloneRunDocument, LaunchKFoldDocument, LaunchRunDocument, LaunchSweepDocument } from "../../graphql/launch.ts";
import { type LaunchMode, placeApiErrors } from "../../lib/launch/api-errors.ts";
import { type FieldErrors, type FormValue, type FormValues, initialValues } from "../../lib/launch/form.ts";
import { buildLaunchRequest } from "../../lib/launch/request.ts";
import type { SweepMethod, SweepRow } from "../../lib/launch/sweep.ts";
import { CatalogPickers, LaunchModePicker } from "./CatalogPickers.tsx";
import { SettingField } from "./SettingField.tsx";
import { SweepBuilder } from "./SweepBuilder.tsx";

type CloneSource = NonNullable<CloneSourceQuery["run"]>;
interface Launched {
  groupKey: string | null;
  runs: Array<{ id: string; name: string }>;
}

const prefix = (values: FormValues, name: string): FormValues => Object.fromEntries(Object.entries(values).map(([key, value]) => [`${name}.${key}`, value]));

function startValues(source: CloneSource | null): FormValues {
  const hyperparameters = (source?.hyperparameters ?? {}) as Record<string, unknown>;
  return {
    ...initialValues(LAUNCH_FIELDS.settings, hyperparameters),
    ...initialValues(LAUNCH_FIELDS.run),
    ...prefix(initialValues(LAUNCH_FIELDS.sweep), "sweep"),
    ...prefix(initialValues(LAUNCH_FIELDS.kFold), "kFold"),
  };
}

function useLaunchMutations() {
  const [, launchRun] = useMutation(LaunchRunDocument);
  const [, launchSweep] = useMutation(LaunchSweepDocument);
  const [, launchKFold] = useMutation(LaunchKFoldDocument);
  const [, cloneRun] = useMutation(CloneRunDocument);
  return async (mutation: string, input: Record<string, unknown>): Promise<{ launched?: Launched; error?: CombinedError }> => {
    const variables = { input } as never;
    if (mutation === "launchSweep") {
      const result = await launchSweep(variables);
      return result.error ? { error: result.error } : { launched: result.data!.launchSweep };
    }
    if (mutation === "launchKFold") {
      const result = await launchKFold(variables);
      return result.error ? { error: result.error } : { launched: result.data!.launchKFold };
    }
    const result = mutation === "cloneRun" ? await cloneRun(variables) : await launchRun(variables);
    if (result.error) return { error: result.error };
    const data = result.data as Record<string, { id: string; name: string }>;
    return { launched: { groupKey: null, runs: [data[mutation]!] } };
  };
}

/** projectId: the project to launch in when not cloning (`/launch?project=…`, from the projects page). */
export function LaunchForm({ catalog, source, projectId }: { catalog: LaunchCatalogQuery; source: CloneSource | null; projectId?: string }) {
  const router = useRouter();
  const launch = useLaunchMutations();
  const [mode, setMode] = useState<LaunchMode>("single");
  const [picks, setPicks] = useState({
    projectId: source?.project.id ?? catalog.projects.find((project) => project.id === projectId)?.id ?? catalog.projects[0]?.id ?? "",
    datasetId: source?.dataset?.id ?? catalog.datasets[0]?.id ?? "",
    architectureId: source?.architecture?.id ?? catalog.architectures[0]?.id ?? "",
    name: source ? `${source.name} (clone)` : "",
    tags: source?.tags.join(", ") ?? "",
  });
  const [values, setValues] = useState<FormValues>(() => startValues(source));
  const [sweepRows, setSweepRows] = useState<SweepRow[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [launched, setLaunched] = useState<Launched | null>(null);
  const formKeys = useMemo(
    () => new Set([...Object.keys(values), "projectId", "datasetId", "architectureId", "name", "sweep", ...sweepRows.map((row) => `sweep:${row.key}`)]),
    [values, sweepRows],
  );
  const sweepMethod = (values["sweep.method"] as SweepMethod | undefined) ?? "GRID";

  const setValue = (key: string) => (value: FormValue) => setValues((current) => ({ ...current, [key]: value }));
  const cloneOf =
    source?.dataset && source.architecture
      ? {
          runId: source.id,
          datasetId: source.dataset.id,
          architectureId: source.architecture.id,
          hyperparameters: source.hyperparameters as Record<string, unknown>,
        }
      : undefined;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const request = buildLaunchRequest({ mode, ...picks, values, sweepMethod, sweepRows, ...(cloneOf ? { cloneOf } : {}) }, LAUNCH_FIELDS);
    setGeneral([]);
    if ("errors" in request) return setErrors(request.errors);
    setBusy(true);
    const { launched: result, error } = await launch(request.mutation, request.input);
    setBusy(false);
    if (error) {
      const placed = placeApiErrors(error.graphQLErrors.length > 0 ? error.graphQLErrors : [{ message: error.message }], mode, formKeys);
      setErrors(placed.fields);
      return setGeneral(placed.general.length === 0 && Object.keys(placed.fields).length === 0 ? [error.message] : placed.general);
    }
    setErrors({});
    if (result?.groupKey === null && result.runs[0]) return router.push(`/runs/${result.runs[0].id}`);
    setLaunched(result ?? null);
  }

  const field = (spec: (typeof LAUNCH_FIELDS.settings)[number], key = spec.path) => (
    <SettingField key={key} spec={spec} formKey={key} value={values[key] ?? ""} error={errors[key]} onChange={setValue(key)} />
  );
  const settings = LAUNCH_FIELDS.settings.filter((spec) => !spec.path.startsWith("augmentation."));
  const augmentation = LAUNCH_FIELDS.settings.filter((spec) => spec.path.startsWith("augmentation."));

  return (
    <form onSubmit={(event) => void submit(event)} aria-labelledby="launch-title" noValidate>
      <Title order={1} id="launch-title">
        {source ? `Clone ${source.name}` : "Launch"}
      </Title>
      <Text c="dimmed" size="sm" mb="sm">
        Every field starts at the API&apos;s default; changed fields are marked.
      </Text>
      {general.map((message) => (
        <Alert key={message} role="alert" color="red" my="xs">
          {message}
        </Alert>
      ))}
      <CatalogPickers catalog={catalog} picks={picks} errors={errors} onChange={(next) => setPicks((current) => ({ ...current, ...next }))} />
      <LaunchModePicker mode={mode} onChange={setMode} />
      <fieldset className="panel">
        <legend>Training settings</legend>
        <div className="fields">{settings.map((spec) => field(spec))}</div>
      </fieldset>
      <details className="panel">
        <summary>Augmentation and run options</summary>
        <div className="fields">
          {augmentation.map((spec) => field(spec))}
          {LAUNCH_FIELDS.run.map((spec) => field(spec))}
        </div>
      </details>
      {mode === "sweep" && (
        <>
          <div className="fields">{LAUNCH_FIELDS.sweep.map((spec) => field({ ...spec, path: `sweep ${spec.path}` }, `sweep.${spec.path}`))}</div>
          <SweepBuilder
            specs={LAUNCH_FIELDS.settings}
            method={sweepMethod}
            trials={Number(values["sweep.trials"]) || 0}
            rows={sweepRows}
            errors={errors}
            onChange={setSweepRows}
          />
        </>
      )}
      {mode === "kFold" && (
        <div className="fields">{LAUNCH_FIELDS.kFold.map((spec) => field({ ...spec, path: `k-fold ${spec.path}` }, `kFold.${spec.path}`))}</div>
      )}
      <Group my="md">
        <Button type="submit" size="md" loading={busy} leftSection={<IconRocket size={18} aria-hidden />}>
          {mode === "single" ? (cloneOf ? "Launch clone" : "Launch run") : mode === "sweep" ? "Launch sweep" : "Launch k-fold"}
        </Button>
      </Group>
      {launched && (
        <Paper withBorder radius="md" p="md" component="section" aria-label="Launched runs" role="status">
          <Title order={2} size="h3" mt={0}>
            Launched {launched.runs.length} runs ({launched.groupKey})
          </Title>
          <ul>
            {launched.runs.map((run) => (
              <li key={run.id}>
                <Link href={`/runs/${run.id}`}>{run.name}</Link>
              </li>
            ))}
          </ul>
          <Link
            href={`/compare?runs=${launched.runs
              .slice(0, 100)
              .map((run) => run.id)
              .join(",")}`}
          >
            Compare these runs
          </Link>
        </Paper>
      )}
    </form>
  );
}

import { Code, List, ListItem, ThemeIcon } from "@mantine/core";
import { IconCheck, IconCircleDashed, IconRocket } from "@tabler/icons-react";
import type { ReactNode } from "react";
import type { LaunchCatalogQuery } from "../../gql/graphql.ts";
import { EmptyState } from "../ui/EmptyState.tsx";
import { AnchorLink } from "../ui/links.tsx";

function Step({ done, children }: { done: boolean; children: ReactNode }) {
  return (
    <ListItem
      data-step={done ? "done" : "to-do"}
      icon={
        <ThemeIcon size={20} radius="xl" color={done ? "teal" : "gray"} variant={done ? "filled" : "light"} aria-hidden>
          {done ? <IconCheck size={12} /> : <IconCircleDashed size={12} />}
        </ThemeIcon>
      }
    >
      <span className="sr-only">{done ? "Done: " : "To do: "}</span>
      {children}
    </ListItem>
  );
}

/** A run needs a project, a dataset and an architecture: what is still missing, and where to add it. */
export function LaunchChecklist({ catalog }: { catalog: LaunchCatalogQuery }) {
  const steps = [catalog.projects.length > 0, catalog.datasets.length > 0, catalog.architectures.length > 0];
  if (steps.every(Boolean)) return null;
  return (
    <EmptyState icon={<IconRocket size={24} />} title="Before the first launch">
      <List spacing="xs" ta="left" mt="xs" aria-label="Launch checklist">
        <Step done={steps[0]!}>
          A project to hold the runs: <AnchorLink href="/projects#new-project">create a project</AnchorLink>.
        </Step>
        <Step done={steps[1]!}>
          A dataset: upload an archive on the <AnchorLink href="/datasets">Datasets</AnchorLink> page, or register a server folder with{" "}
          <Code>importDataset</Code>.
        </Step>
        <Step done={steps[2]!}>
          An architecture: upload an <Code>.onnx</Code> or <Code>.tflite</Code> model on the <AnchorLink href="/architectures">Architectures</AnchorLink> page,
          or register a built-in backbone with <Code>importArchitecture</Code> (<Code>source: &quot;mobilenet-v2-imagenet&quot;</Code>).
        </Step>
      </List>
    </EmptyState>
  );
}

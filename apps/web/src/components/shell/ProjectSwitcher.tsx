"use client";
import { Anchor, NativeSelect, Stack } from "@mantine/core";
import { IconFolder, IconPlus } from "@tabler/icons-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";

export interface ProjectOption {
  id: string;
  name: string;
}

/** Choosing a project opens its runs (the runs table's `project` filter); "All projects" clears it. */
export function ProjectSwitcher({ projects }: { projects: ProjectOption[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const chosen = useSearchParams().get("project") ?? "";
  const current = pathname === "/runs" ? chosen : "";
  return (
    <Stack gap={4}>
      <NativeSelect
        id="project-switcher"
        label="Project"
        size="sm"
        leftSection={<IconFolder size={16} aria-hidden />}
        value={current}
        onChange={(event) => router.push(event.currentTarget.value === "" ? "/runs" : `/runs?project=${encodeURIComponent(event.currentTarget.value)}`)}
        data={[{ value: "", label: "All projects" }, ...projects.map((project) => ({ value: project.id, label: project.name }))]}
      />
      <Anchor component={Link} href="/projects#new-project" size="xs" style={{ display: "inline-flex", alignItems: "center", gap: 4 }}>
        <IconPlus size={12} aria-hidden /> New project
      </Anchor>
    </Stack>
  );
}

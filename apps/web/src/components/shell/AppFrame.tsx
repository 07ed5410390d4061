"use client";
/** The dashboard's frame: header (team, theme, account), sidebar (project, pages), content. */
import { AppShell, Burger, Group, ScrollArea, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import Link from "next/link";
import { Suspense, type ReactNode } from "react";
import { NavLinks } from "../NavLinks.tsx";
import { TeamSwitcher } from "../TeamSwitcher.tsx";
import { ProjectSwitcher, type ProjectOption } from "./ProjectSwitcher.tsx";
import { ColorSchemeToggle, UserMenu } from "./UserMenu.tsx";

interface Props {
  teams: Array<{ id: string; name: string; role: string }>;
  currentTeamId: string;
  user: { email: string; name: string | null };
  projects: ProjectOption[];
  children: ReactNode;
}

export function AppFrame({ teams, currentTeamId, user, projects, children }: Props) {
  const [opened, { toggle, close }] = useDisclosure();
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 232, breakpoint: "sm", collapsed: { mobile: !opened } }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" gap="md" wrap="nowrap">
          <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
          <Link href="/runs" aria-label="Runboard home" style={{ display: "flex", alignItems: "center", gap: 8, color: "inherit", textDecoration: "none" }}>
            {/* eslint-disable-next-line @next/next/no-img-element -- a 24 px SVG logo */}
            <img src="/icon.svg" alt="" width={24} height={24} />
            <Text fw={700} size="lg">
              Runboard
            </Text>
          </Link>
          <Group ml="auto" gap="sm" wrap="nowrap">
            <TeamSwitcher teams={teams} currentTeamId={currentTeamId} />
            <ColorSchemeToggle />
            <UserMenu email={user.email} name={user.name} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Sidebar">
        <AppShell.Section mb="sm">
          <Suspense>
            <ProjectSwitcher projects={projects} />
          </Suspense>
        </AppShell.Section>
        <AppShell.Section grow component={ScrollArea}>
          <NavLinks onNavigate={close} />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="content">{children}</AppShell.Main>
    </AppShell>
  );
}

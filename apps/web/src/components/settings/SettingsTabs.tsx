"use client";
/** The team settings pages as tabs; each tab is a page of its own (/settings/<tab>). */
import { Tabs } from "@mantine/core";
import { IconHistory, IconKey, IconMailPlus, IconUsers } from "@tabler/icons-react";
import { usePathname, useRouter } from "next/navigation";

const TABS = [
  { value: "members", label: "Members", icon: IconUsers },
  { value: "invites", label: "Invites", icon: IconMailPlus },
  { value: "tokens", label: "API tokens", icon: IconKey },
  { value: "audit", label: "Audit log", icon: IconHistory },
];

export function SettingsTabs() {
  const router = useRouter();
  const current = usePathname().split("/")[2] ?? "members";
  return (
    <Tabs value={current} onChange={(value) => value && router.push(`/settings/${value}`)} mb="lg" aria-label="Team settings">
      <Tabs.List>
        {TABS.map(({ value, label, icon: Icon }) => (
          <Tabs.Tab key={value} value={value} leftSection={<Icon size={16} aria-hidden />}>
            {label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}

"use client";
import { ActionIcon, Avatar, Menu, UnstyledButton, useMantineColorScheme, type MantineColorScheme } from "@mantine/core";
import { IconDeviceDesktop, IconKey, IconLogout, IconMoon, IconSun, IconUsers } from "@tabler/icons-react";
import Link from "next/link";

const SCHEMES: Array<{ value: MantineColorScheme; label: string; icon: typeof IconSun }> = [
  { value: "light", label: "Light", icon: IconSun },
  { value: "dark", label: "Dark", icon: IconMoon },
  { value: "auto", label: "Same as the system", icon: IconDeviceDesktop },
];

/** Light and dark: the icon shown is chosen by CSS, so the server's render matches the browser's. */
export function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  return (
    <>
      <ActionIcon variant="default" size="lg" aria-label="Switch to the dark theme" darkHidden onClick={() => setColorScheme("dark")}>
        <IconMoon size={18} aria-hidden />
      </ActionIcon>
      <ActionIcon variant="default" size="lg" aria-label="Switch to the light theme" lightHidden onClick={() => setColorScheme("light")}>
        <IconSun size={18} aria-hidden />
      </ActionIcon>
    </>
  );
}

/** The signed-in user: team settings, API tokens, theme choice and sign out (a form post, so it works without scripts too). */
export function UserMenu({ email, name }: { email: string; name: string | null }) {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  return (
    <>
      <form id="signout-form" method="post" action="/api/session" hidden>
        <input type="hidden" name="action" value="signout" />
      </form>
      <Menu position="bottom-end" width={240} withinPortal>
        <Menu.Target>
          <UnstyledButton aria-label={`Account: ${email}`} style={{ display: "flex", alignItems: "center", gap: 8, borderRadius: 999 }}>
            <Avatar size={32} color="runboard" radius="xl" name={name ?? email} />
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{email}</Menu.Label>
          <Menu.Item component={Link} href="/settings/members" leftSection={<IconUsers size={16} aria-hidden />}>
            Team settings
          </Menu.Item>
          <Menu.Item component={Link} href="/settings/tokens" leftSection={<IconKey size={16} aria-hidden />}>
            API tokens
          </Menu.Item>
          <Menu.Divider />
          <Menu.Label>Theme</Menu.Label>
          {SCHEMES.map(({ value, label, icon: Icon }) => (
            <Menu.Item
              key={value}
              leftSection={<Icon size={16} aria-hidden />}
              onClick={() => setColorScheme(value)}
              aria-current={colorScheme === value ? "true" : undefined}
              fw={colorScheme === value ? 600 : undefined}
            >
              {label}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item component="button" type="submit" form="signout-form" color="red" leftSection={<IconLogout size={16} aria-hidden />}>
            Sign out
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </>
  );
}

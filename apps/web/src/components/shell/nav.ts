import { IconArrowsDiff, IconBox, IconDatabase, IconFolders, IconListDetails, IconRocket, IconSettings, IconTrophy, type Icon } from "@tabler/icons-react";

export interface NavItem {
  href: string;
  label: string;
  icon: Icon;
}

export const NAV_ITEMS: NavItem[] = [
  { href: "/runs", label: "Runs", icon: IconListDetails },
  { href: "/compare", label: "Compare", icon: IconArrowsDiff },
  { href: "/launch", label: "Launch", icon: IconRocket },
  { href: "/leaderboards", label: "Leaderboards", icon: IconTrophy },
  { href: "/datasets", label: "Datasets", icon: IconDatabase },
  { href: "/architectures", label: "Architectures", icon: IconBox },
  { href: "/projects", label: "Projects", icon: IconFolders },
  { href: "/settings", label: "Team settings", icon: IconSettings },
];

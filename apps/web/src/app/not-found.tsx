import { Group } from "@mantine/core";
import { IconCompass } from "@tabler/icons-react";
import type { Metadata } from "next";
import { CenteredMessage } from "../components/ui/CenteredMessage.tsx";
import { ButtonLink } from "../components/ui/links.tsx";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <CenteredMessage
      icon={<IconCompass size={30} />}
      code="404"
      title="Page not found"
      actions={
        <Group justify="center" mt="xs">
          <ButtonLink href="/runs">Go to runs</ButtonLink>
          <ButtonLink href="/projects" variant="default">
            Projects
          </ButtonLink>
        </Group>
      }
    >
      There is no page at this address. It may have moved, or the link may be mistyped.
    </CenteredMessage>
  );
}

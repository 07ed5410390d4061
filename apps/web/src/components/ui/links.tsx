"use client";
/**
 * Next links drawn as Mantine buttons and anchors. Server components cannot hand a component
 * (Link) to a client one as a prop, so the pairing happens here.
 */
import { Anchor, Button, type AnchorProps, type ButtonProps } from "@mantine/core";
import Link from "next/link";
import type { ComponentPropsWithoutRef, ReactNode } from "react";

type AnchorAttributes = Omit<ComponentPropsWithoutRef<"a">, "href" | "color" | "style" | "children">;

export function ButtonLink({ href, children, ...props }: ButtonProps & AnchorAttributes & { href: string; children: ReactNode; "data-disabled"?: boolean }) {
  return (
    <Button component={Link} href={href} {...props}>
      {children}
    </Button>
  );
}

export function AnchorLink({ href, children, ...props }: AnchorProps & AnchorAttributes & { href: string; children: ReactNode }) {
  return (
    <Anchor component={Link} href={href} {...props}>
      {children}
    </Anchor>
  );
}

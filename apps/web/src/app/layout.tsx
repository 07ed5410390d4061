import { ColorSchemeScript, MantineProvider, mantineHtmlProps } from "@mantine/core";
import type { Metadata } from "next";
import type { ReactNode } from "react";
import "@mantine/core/styles.css";
import "uplot/dist/uPlot.min.css";
import { theme } from "../lib/theme.ts";
import "./globals.css";

export const metadata: Metadata = { title: { default: "Runboard", template: "%s · Runboard" }, description: "Transfer-learning runs, compared" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" {...mantineHtmlProps}>
      <head>
        <ColorSchemeScript defaultColorScheme="auto" />
      </head>
      <body>
        <MantineProvider theme={theme} defaultColorScheme="auto">
          {children}
        </MantineProvider>
      </body>
    </html>
  );
}

import type { Metadata } from "next";
import type { ReactNode } from "react";
import "uplot/dist/uPlot.min.css";
import "./globals.css";

export const metadata: Metadata = { title: "Runboard", description: "Transfer-learning runs, compared" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}

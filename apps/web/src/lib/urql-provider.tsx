"use client";
/**
 * The browser's urql client: queries and mutations through /api/graphql, subscriptions as
 * server-sent events through /api/graphql/stream. During server rendering no request goes
 * out (relative URLs have no host there): queries start in the browser.
 */
import { useState, type ReactNode } from "react";
import { Client, Provider, cacheExchange, fetchExchange, subscriptionExchange, type Exchange } from "urql";
import { never } from "wonka";
import { forwardSubscription } from "./sse-subscription.ts";

// Answers no operation, so server and first browser render agree (both "loading").
const serverRenderExchange: Exchange = () => () => never;

function createBrowserClient(): Client {
  if (typeof window === "undefined") {
    return new Client({ url: "/api/graphql", exchanges: [serverRenderExchange] });
  }
  return new Client({
    url: "/api/graphql",
    exchanges: [cacheExchange, subscriptionExchange({ forwardSubscription }), fetchExchange],
    requestPolicy: "cache-and-network",
    // POST only: the proxy route forwards POST bodies, and queries stay out of access logs.
    preferGetMethod: false,
  });
}

export function UrqlProvider({ children }: { children: ReactNode }) {
  const [client] = useState(createBrowserClient);
  return <Provider value={client}>{children}</Provider>;
}

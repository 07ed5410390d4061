import type { RunPage } from "../services/run-query.ts";

export const RunConnection = {
  nodes: (page: RunPage) => page.runs,
  totalCount: (page: RunPage) => page.totalCount(),
  edges: (page: RunPage) => page.runs.map((node, index) => ({ node, cursor: page.cursors[index] })),
  pageInfo: (page: RunPage) => ({
    hasNextPage: page.hasNextPage,
    endCursor: page.cursors.at(-1) ?? null,
  }),
};

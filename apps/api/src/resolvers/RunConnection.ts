import type { RunPage } from "../services/run-query.ts";
import { encodeCursor } from "../services/run-query.ts";

export const RunConnection = {
  nodes: (page: RunPage) => page.runs,
  totalCount: (page: RunPage) => page.totalCount(),
  edges: (page: RunPage) => page.runs.map((node, index) => ({ node, cursor: encodeCursor(page.offset + index + 1) })),
  pageInfo: (page: RunPage) => ({
    hasNextPage: page.hasNextPage,
    endCursor: page.runs.length === 0 ? null : encodeCursor(page.offset + page.runs.length),
  }),
};

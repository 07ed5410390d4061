import { graphql } from "../gql/index.ts";

export const LeaderboardDocument = graphql(`
  query Leaderboard($datasetId: ID!, $metric: String!, $direction: Direction, $groupBy: LeaderboardGroupBy, $summary: SummaryField) {
    leaderboard(datasetId: $datasetId, metric: $metric, direction: $direction, groupBy: $groupBy, summary: $summary) {
      metric
      direction
      dataset {
        id
        name
      }
      entries {
        rank
        group
        best
        mean
        std
        runCount
        bestRun {
          id
          name
          architecture {
            id
            name
          }
        }
        runs {
          id
          name
        }
      }
    }
  }
`);

/** Metric keys seen on a dataset's recent runs, to offer as leaderboard metrics. */
export const DatasetMetricKeysDocument = graphql(`
  query DatasetMetricKeys($datasetId: ID!) {
    runs(filter: { datasetId: $datasetId }, first: 20) {
      nodes {
        id
        metrics {
          key
        }
      }
    }
  }
`);

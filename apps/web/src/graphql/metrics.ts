import { graphql } from "../gql/index.ts";

export const MetricHistoryDocument = graphql(`
  query MetricHistory($runId: ID!, $key: String!, $fromStep: Long, $toStep: Long, $maxPoints: Int) {
    metricHistory(runId: $runId, key: $key, fromStep: $fromStep, toStep: $toStep, maxPoints: $maxPoints) {
      runId
      key
      downsampled
      points {
        step
        value
      }
    }
  }
`);

export const MetricsAppendedDocument = graphql(`
  subscription MetricsAppended($runId: ID!, $keys: [String!]) {
    metricsAppended(runId: $runId, keys: $keys) {
      runId
      points {
        key
        step
        value
      }
    }
  }
`);

export const CompareRunsDocument = graphql(`
  query CompareRuns($runIds: [ID!]!, $keys: [String!]!, $fromStep: Long, $toStep: Long, $maxPoints: Int) {
    compareRuns(runIds: $runIds, keys: $keys, fromStep: $fromStep, toStep: $toStep, maxPoints: $maxPoints) {
      runs {
        id
        name
        status
        groupKey
        params {
          key
          value
        }
        metrics {
          key
          last
          min
          max
        }
      }
      series {
        runId
        key
        downsampled
        points {
          step
          value
        }
      }
    }
  }
`);

/** What compare needs of the chosen runs before their series: names, groups, params and metric summaries. */
export const CompareRunInfosDocument = graphql(`
  query CompareRunInfos($ids: [ID!]!, $first: Int) {
    runs(filter: { ids: $ids }, first: $first) {
      nodes {
        id
        name
        groupKey
        params {
          key
          value
        }
        metrics {
          key
          last
          min
          max
        }
      }
    }
  }
`);

import { graphql } from "../gql/index.ts";

/** One page of the runs table: every param and metric summary, so any column can show. */
export const RunsPageDocument = graphql(`
  query RunsPage($filter: RunFilter, $sort: RunSort, $first: Int, $after: String) {
    runs(filter: $filter, sort: $sort, first: $first, after: $after) {
      nodes {
        ...RunsTableRow
      }
      pageInfo {
        endCursor
        hasNextPage
      }
      totalCount
    }
  }
`);

export const RunsTableRowFragment = graphql(`
  fragment RunsTableRow on Run {
    id
    name
    status
    createdAt
    startedAt
    finishedAt
    tags
    architecture {
      id
      name
    }
    params {
      key
      value
    }
    metrics {
      key
      last
      min
      max
      count
    }
  }
`);

/** The runs table's running rows again (live progress), by id. */
export const RunsRefreshDocument = graphql(`
  query RunsRefresh($filter: RunFilter) {
    runs(filter: $filter, first: 200) {
      nodes {
        ...RunsTableRow
      }
    }
  }
`);

/** The view's runs grouped, with mean ± std (min, max) of its metric columns per group. */
export const RunGroupsDocument = graphql(`
  query RunGroups($filter: RunFilter, $groupBy: RunGroupBy!, $metrics: [GroupMetricInput!]) {
    runGroups(filter: $filter, groupBy: $groupBy, metrics: $metrics) {
      value
      count
      metrics {
        key
        summary
        count
        mean
        std
        min
        max
      }
    }
  }
`);

/** What the column chooser offers: every metric and param key of the team's runs. */
export const RunKeysDocument = graphql(`
  query RunKeys($teamId: ID!) {
    metricKeys(teamId: $teamId)
    paramKeys(teamId: $teamId)
  }
`);

export const RunDocument = graphql(`
  query Run($id: ID!) {
    run(id: $id) {
      id
      name
      status
      createdAt
      startedAt
      finishedAt
      seed
      groupKey
      fold
      error
      tags
      note
      attempts {
        number
        startedAt
        endedAt
        outcome
        error
        resumedFromStep
        resumedFromEpoch
      }
      hyperparameters
      project {
        id
        name
      }
      experiment {
        id
        name
      }
      dataset {
        id
        name
      }
      architecture {
        id
        name
      }
      parentRun {
        id
        name
      }
      params {
        key
        type
        value
      }
      metrics {
        key
        last
        lastStep
        min
        minStep
        max
        maxStep
        count
      }
    }
  }
`);

export const RunStatusDocument = graphql(`
  subscription RunUpdated($runId: ID!) {
    runUpdated(runId: $runId) {
      id
      status
      startedAt
      finishedAt
      error
    }
  }
`);

export const SetTagsDocument = graphql(`
  mutation SetTags($runId: ID!, $tags: [String!]!) {
    setTags(runId: $runId, tags: $tags) {
      id
      tags
    }
  }
`);

export const SetNoteDocument = graphql(`
  mutation SetNote($runId: ID!, $note: String!) {
    setNote(runId: $runId, note: $note) {
      id
      note
    }
  }
`);

import { graphql } from "../gql/index.ts";

/** One page of the runs table: every param and metric summary, so any column can show. */
export const RunsPageDocument = graphql(`
  query RunsPage($filter: RunFilter, $sort: RunSort, $first: Int, $after: String) {
    runs(filter: $filter, sort: $sort, first: $first, after: $after) {
      nodes {
        id
        name
        status
        createdAt
        tags
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
      pageInfo {
        endCursor
        hasNextPage
      }
    }
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

import { graphql } from "../gql/index.ts";

/** What the launch form chooses from, in the session's team. */
export const LaunchCatalogDocument = graphql(`
  query LaunchCatalog($teamId: ID) {
    projects(teamId: $teamId) {
      id
      name
    }
    datasets(teamId: $teamId) {
      id
      name
      kind
    }
    architectures(teamId: $teamId) {
      id
      name
      inputSize
    }
  }
`);

export const CloneSourceDocument = graphql(`
  query CloneSource($id: ID!) {
    run(id: $id) {
      id
      name
      tags
      hyperparameters
      project {
        id
      }
      dataset {
        id
      }
      architecture {
        id
      }
    }
  }
`);

export const LaunchRunDocument = graphql(`
  mutation LaunchRun($input: LaunchRunInput!) {
    launchRun(input: $input) {
      id
      name
      status
    }
  }
`);

export const LaunchSweepDocument = graphql(`
  mutation LaunchSweep($input: LaunchSweepInput!) {
    launchSweep(input: $input) {
      groupKey
      runs {
        id
        name
        status
      }
    }
  }
`);

export const LaunchKFoldDocument = graphql(`
  mutation LaunchKFold($input: LaunchKFoldInput!) {
    launchKFold(input: $input) {
      groupKey
      runs {
        id
        name
        status
      }
    }
  }
`);

export const CloneRunDocument = graphql(`
  mutation CloneRun($input: CloneRunInput!) {
    cloneRun(input: $input) {
      id
      name
      status
    }
  }
`);

export const CancelRunDocument = graphql(`
  mutation CancelRun($runId: ID!) {
    cancelRun(runId: $runId) {
      id
      status
      finishedAt
      error
    }
  }
`);

export const RunArtifactsDocument = graphql(`
  query RunArtifacts($id: ID!) {
    run(id: $id) {
      id
      artifacts {
        id
        kind
        name
        bytes
        sha256
        createdAt
      }
    }
  }
`);

export const RunLogsDocument = graphql(`
  query RunLogs($id: ID!, $afterSeq: Int, $limit: Int) {
    run(id: $id) {
      id
      attempt
      maxAttempts
      workerId
      heartbeatAt
      logs(afterSeq: $afterSeq, limit: $limit) {
        seq
        time
        level
        message
      }
    }
  }
`);

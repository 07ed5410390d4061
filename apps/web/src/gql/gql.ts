/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Datasets($teamId: ID) {\n    datasets(teamId: $teamId) {\n      id\n      name\n      kind\n      sourceUri\n      classNames\n      splitCounts\n      contentHash\n      conversion\n      createdAt\n    }\n  }\n": typeof types.DatasetsDocument,
    "\n  query Architectures($teamId: ID) {\n    architectures(teamId: $teamId) {\n      id\n      name\n      family\n      sourceFormat\n      fileUri\n      fileHash\n      inputSize\n      parameterCount\n      pretrainedOn\n      createdAt\n    }\n  }\n": typeof types.ArchitecturesDocument,
    "\n  query LaunchCatalog($teamId: ID) {\n    projects(teamId: $teamId) {\n      id\n      name\n    }\n    datasets(teamId: $teamId) {\n      id\n      name\n      kind\n    }\n    architectures(teamId: $teamId) {\n      id\n      name\n      inputSize\n    }\n  }\n": typeof types.LaunchCatalogDocument,
    "\n  query CloneSource($id: ID!) {\n    run(id: $id) {\n      id\n      name\n      tags\n      hyperparameters\n      project {\n        id\n      }\n      dataset {\n        id\n      }\n      architecture {\n        id\n      }\n    }\n  }\n": typeof types.CloneSourceDocument,
    "\n  mutation LaunchRun($input: LaunchRunInput!) {\n    launchRun(input: $input) {\n      id\n      name\n      status\n    }\n  }\n": typeof types.LaunchRunDocument,
    "\n  mutation LaunchSweep($input: LaunchSweepInput!) {\n    launchSweep(input: $input) {\n      groupKey\n      runs {\n        id\n        name\n        status\n      }\n    }\n  }\n": typeof types.LaunchSweepDocument,
    "\n  mutation LaunchKFold($input: LaunchKFoldInput!) {\n    launchKFold(input: $input) {\n      groupKey\n      runs {\n        id\n        name\n        status\n      }\n    }\n  }\n": typeof types.LaunchKFoldDocument,
    "\n  mutation CloneRun($input: CloneRunInput!) {\n    cloneRun(input: $input) {\n      id\n      name\n      status\n    }\n  }\n": typeof types.CloneRunDocument,
    "\n  mutation CancelRun($runId: ID!) {\n    cancelRun(runId: $runId) {\n      id\n      status\n      finishedAt\n      error\n    }\n  }\n": typeof types.CancelRunDocument,
    "\n  query RunArtifacts($id: ID!) {\n    run(id: $id) {\n      id\n      artifacts {\n        id\n        kind\n        name\n        bytes\n        sha256\n        createdAt\n      }\n    }\n  }\n": typeof types.RunArtifactsDocument,
    "\n  query RunLogs($id: ID!, $afterSeq: Int, $limit: Int) {\n    run(id: $id) {\n      id\n      attempt\n      maxAttempts\n      workerId\n      heartbeatAt\n      logs(afterSeq: $afterSeq, limit: $limit) {\n        seq\n        time\n        level\n        message\n      }\n    }\n  }\n": typeof types.RunLogsDocument,
    "\n  query Leaderboard($datasetId: ID!, $metric: String!, $direction: Direction, $groupBy: LeaderboardGroupBy, $summary: SummaryField) {\n    leaderboard(datasetId: $datasetId, metric: $metric, direction: $direction, groupBy: $groupBy, summary: $summary) {\n      metric\n      direction\n      dataset {\n        id\n        name\n      }\n      entries {\n        rank\n        group\n        best\n        mean\n        std\n        runCount\n        bestRun {\n          id\n          name\n          architecture {\n            id\n            name\n          }\n        }\n        runs {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.LeaderboardDocument,
    "\n  query DatasetMetricKeys($datasetId: ID!) {\n    runs(filter: { datasetId: $datasetId }, first: 20) {\n      nodes {\n        id\n        metrics {\n          key\n        }\n      }\n    }\n  }\n": typeof types.DatasetMetricKeysDocument,
    "\n  query MetricHistory($runId: ID!, $key: String!, $fromStep: Long, $toStep: Long, $maxPoints: Int) {\n    metricHistory(runId: $runId, key: $key, fromStep: $fromStep, toStep: $toStep, maxPoints: $maxPoints) {\n      runId\n      key\n      downsampled\n      points {\n        step\n        value\n      }\n    }\n  }\n": typeof types.MetricHistoryDocument,
    "\n  subscription MetricsAppended($runId: ID!, $keys: [String!]) {\n    metricsAppended(runId: $runId, keys: $keys) {\n      runId\n      points {\n        key\n        step\n        value\n      }\n    }\n  }\n": typeof types.MetricsAppendedDocument,
    "\n  query CompareRuns($runIds: [ID!]!, $keys: [String!]!, $fromStep: Long, $toStep: Long, $maxPoints: Int) {\n    compareRuns(runIds: $runIds, keys: $keys, fromStep: $fromStep, toStep: $toStep, maxPoints: $maxPoints) {\n      runs {\n        id\n        name\n        status\n        groupKey\n        params {\n          key\n          value\n        }\n        metrics {\n          key\n          last\n          min\n          max\n        }\n      }\n      series {\n        runId\n        key\n        downsampled\n        points {\n          step\n          value\n        }\n      }\n    }\n  }\n": typeof types.CompareRunsDocument,
    "\n  query CompareRunInfos($ids: [ID!]!, $first: Int) {\n    runs(filter: { ids: $ids }, first: $first) {\n      nodes {\n        id\n        name\n        groupKey\n        params {\n          key\n          value\n        }\n        metrics {\n          key\n          last\n          min\n          max\n        }\n      }\n    }\n  }\n": typeof types.CompareRunInfosDocument,
    "\n  query Projects($teamId: ID) {\n    projects(teamId: $teamId) {\n      id\n      name\n      description\n      createdAt\n    }\n  }\n": typeof types.ProjectsDocument,
    "\n  mutation CreateProject($input: CreateProjectInput!) {\n    createProject(input: $input) {\n      id\n      name\n      description\n      createdAt\n    }\n  }\n": typeof types.CreateProjectDocument,
    "\n  query RunsPage($filter: RunFilter, $sort: RunSort, $first: Int, $after: String) {\n    runs(filter: $filter, sort: $sort, first: $first, after: $after) {\n      nodes {\n        id\n        name\n        status\n        createdAt\n        tags\n        params {\n          key\n          value\n        }\n        metrics {\n          key\n          last\n          min\n          max\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n": typeof types.RunsPageDocument,
    "\n  query Run($id: ID!) {\n    run(id: $id) {\n      id\n      name\n      status\n      createdAt\n      startedAt\n      finishedAt\n      seed\n      groupKey\n      fold\n      error\n      tags\n      note\n      hyperparameters\n      project {\n        id\n        name\n      }\n      experiment {\n        id\n        name\n      }\n      dataset {\n        id\n        name\n      }\n      architecture {\n        id\n        name\n      }\n      parentRun {\n        id\n        name\n      }\n      params {\n        key\n        type\n        value\n      }\n      metrics {\n        key\n        last\n        lastStep\n        min\n        minStep\n        max\n        maxStep\n        count\n      }\n    }\n  }\n": typeof types.RunDocument,
    "\n  subscription RunUpdated($runId: ID!) {\n    runUpdated(runId: $runId) {\n      id\n      status\n      startedAt\n      finishedAt\n      error\n    }\n  }\n": typeof types.RunUpdatedDocument,
    "\n  mutation SetTags($runId: ID!, $tags: [String!]!) {\n    setTags(runId: $runId, tags: $tags) {\n      id\n      tags\n    }\n  }\n": typeof types.SetTagsDocument,
    "\n  mutation SetNote($runId: ID!, $note: String!) {\n    setNote(runId: $runId, note: $note) {\n      id\n      note\n    }\n  }\n": typeof types.SetNoteDocument,
    "\n  query DatasetSamples($id: ID!, $perClass: Int) {\n    dataset(id: $id) {\n      id\n      samples(perClass: $perClass) {\n        className\n        path\n      }\n    }\n  }\n": typeof types.DatasetSamplesDocument,
    "\n  query PredictionSources($ids: [ID!]!) {\n    runs(filter: { ids: $ids }, first: 2) {\n      nodes {\n        id\n        name\n        dataset {\n          id\n          sourceUri\n        }\n        artifacts {\n          id\n          kind\n          name\n        }\n      }\n    }\n  }\n": typeof types.PredictionSourcesDocument,
    "\n  mutation ImportUploadedDataset($input: ImportDatasetInput!) {\n    importDataset(input: $input) {\n      id\n      name\n      classNames\n    }\n  }\n": typeof types.ImportUploadedDatasetDocument,
    "\n  mutation ImportUploadedArchitecture($input: ImportArchitectureInput!) {\n    importArchitecture(input: $input) {\n      id\n      name\n      parameterCount\n    }\n  }\n": typeof types.ImportUploadedArchitectureDocument,
    "\n  query Viewer {\n    me {\n      user {\n        id\n        email\n        name\n      }\n      teams {\n        id\n        name\n        slug\n        role\n      }\n    }\n  }\n": typeof types.ViewerDocument,
};
const documents: Documents = {
    "\n  query Datasets($teamId: ID) {\n    datasets(teamId: $teamId) {\n      id\n      name\n      kind\n      sourceUri\n      classNames\n      splitCounts\n      contentHash\n      conversion\n      createdAt\n    }\n  }\n": types.DatasetsDocument,
    "\n  query Architectures($teamId: ID) {\n    architectures(teamId: $teamId) {\n      id\n      name\n      family\n      sourceFormat\n      fileUri\n      fileHash\n      inputSize\n      parameterCount\n      pretrainedOn\n      createdAt\n    }\n  }\n": types.ArchitecturesDocument,
    "\n  query LaunchCatalog($teamId: ID) {\n    projects(teamId: $teamId) {\n      id\n      name\n    }\n    datasets(teamId: $teamId) {\n      id\n      name\n      kind\n    }\n    architectures(teamId: $teamId) {\n      id\n      name\n      inputSize\n    }\n  }\n": types.LaunchCatalogDocument,
    "\n  query CloneSource($id: ID!) {\n    run(id: $id) {\n      id\n      name\n      tags\n      hyperparameters\n      project {\n        id\n      }\n      dataset {\n        id\n      }\n      architecture {\n        id\n      }\n    }\n  }\n": types.CloneSourceDocument,
    "\n  mutation LaunchRun($input: LaunchRunInput!) {\n    launchRun(input: $input) {\n      id\n      name\n      status\n    }\n  }\n": types.LaunchRunDocument,
    "\n  mutation LaunchSweep($input: LaunchSweepInput!) {\n    launchSweep(input: $input) {\n      groupKey\n      runs {\n        id\n        name\n        status\n      }\n    }\n  }\n": types.LaunchSweepDocument,
    "\n  mutation LaunchKFold($input: LaunchKFoldInput!) {\n    launchKFold(input: $input) {\n      groupKey\n      runs {\n        id\n        name\n        status\n      }\n    }\n  }\n": types.LaunchKFoldDocument,
    "\n  mutation CloneRun($input: CloneRunInput!) {\n    cloneRun(input: $input) {\n      id\n      name\n      status\n    }\n  }\n": types.CloneRunDocument,
    "\n  mutation CancelRun($runId: ID!) {\n    cancelRun(runId: $runId) {\n      id\n      status\n      finishedAt\n      error\n    }\n  }\n": types.CancelRunDocument,
    "\n  query RunArtifacts($id: ID!) {\n    run(id: $id) {\n      id\n      artifacts {\n        id\n        kind\n        name\n        bytes\n        sha256\n        createdAt\n      }\n    }\n  }\n": types.RunArtifactsDocument,
    "\n  query RunLogs($id: ID!, $afterSeq: Int, $limit: Int) {\n    run(id: $id) {\n      id\n      attempt\n      maxAttempts\n      workerId\n      heartbeatAt\n      logs(afterSeq: $afterSeq, limit: $limit) {\n        seq\n        time\n        level\n        message\n      }\n    }\n  }\n": types.RunLogsDocument,
    "\n  query Leaderboard($datasetId: ID!, $metric: String!, $direction: Direction, $groupBy: LeaderboardGroupBy, $summary: SummaryField) {\n    leaderboard(datasetId: $datasetId, metric: $metric, direction: $direction, groupBy: $groupBy, summary: $summary) {\n      metric\n      direction\n      dataset {\n        id\n        name\n      }\n      entries {\n        rank\n        group\n        best\n        mean\n        std\n        runCount\n        bestRun {\n          id\n          name\n          architecture {\n            id\n            name\n          }\n        }\n        runs {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.LeaderboardDocument,
    "\n  query DatasetMetricKeys($datasetId: ID!) {\n    runs(filter: { datasetId: $datasetId }, first: 20) {\n      nodes {\n        id\n        metrics {\n          key\n        }\n      }\n    }\n  }\n": types.DatasetMetricKeysDocument,
    "\n  query MetricHistory($runId: ID!, $key: String!, $fromStep: Long, $toStep: Long, $maxPoints: Int) {\n    metricHistory(runId: $runId, key: $key, fromStep: $fromStep, toStep: $toStep, maxPoints: $maxPoints) {\n      runId\n      key\n      downsampled\n      points {\n        step\n        value\n      }\n    }\n  }\n": types.MetricHistoryDocument,
    "\n  subscription MetricsAppended($runId: ID!, $keys: [String!]) {\n    metricsAppended(runId: $runId, keys: $keys) {\n      runId\n      points {\n        key\n        step\n        value\n      }\n    }\n  }\n": types.MetricsAppendedDocument,
    "\n  query CompareRuns($runIds: [ID!]!, $keys: [String!]!, $fromStep: Long, $toStep: Long, $maxPoints: Int) {\n    compareRuns(runIds: $runIds, keys: $keys, fromStep: $fromStep, toStep: $toStep, maxPoints: $maxPoints) {\n      runs {\n        id\n        name\n        status\n        groupKey\n        params {\n          key\n          value\n        }\n        metrics {\n          key\n          last\n          min\n          max\n        }\n      }\n      series {\n        runId\n        key\n        downsampled\n        points {\n          step\n          value\n        }\n      }\n    }\n  }\n": types.CompareRunsDocument,
    "\n  query CompareRunInfos($ids: [ID!]!, $first: Int) {\n    runs(filter: { ids: $ids }, first: $first) {\n      nodes {\n        id\n        name\n        groupKey\n        params {\n          key\n          value\n        }\n        metrics {\n          key\n          last\n          min\n          max\n        }\n      }\n    }\n  }\n": types.CompareRunInfosDocument,
    "\n  query Projects($teamId: ID) {\n    projects(teamId: $teamId) {\n      id\n      name\n      description\n      createdAt\n    }\n  }\n": types.ProjectsDocument,
    "\n  mutation CreateProject($input: CreateProjectInput!) {\n    createProject(input: $input) {\n      id\n      name\n      description\n      createdAt\n    }\n  }\n": types.CreateProjectDocument,
    "\n  query RunsPage($filter: RunFilter, $sort: RunSort, $first: Int, $after: String) {\n    runs(filter: $filter, sort: $sort, first: $first, after: $after) {\n      nodes {\n        id\n        name\n        status\n        createdAt\n        tags\n        params {\n          key\n          value\n        }\n        metrics {\n          key\n          last\n          min\n          max\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n": types.RunsPageDocument,
    "\n  query Run($id: ID!) {\n    run(id: $id) {\n      id\n      name\n      status\n      createdAt\n      startedAt\n      finishedAt\n      seed\n      groupKey\n      fold\n      error\n      tags\n      note\n      hyperparameters\n      project {\n        id\n        name\n      }\n      experiment {\n        id\n        name\n      }\n      dataset {\n        id\n        name\n      }\n      architecture {\n        id\n        name\n      }\n      parentRun {\n        id\n        name\n      }\n      params {\n        key\n        type\n        value\n      }\n      metrics {\n        key\n        last\n        lastStep\n        min\n        minStep\n        max\n        maxStep\n        count\n      }\n    }\n  }\n": types.RunDocument,
    "\n  subscription RunUpdated($runId: ID!) {\n    runUpdated(runId: $runId) {\n      id\n      status\n      startedAt\n      finishedAt\n      error\n    }\n  }\n": types.RunUpdatedDocument,
    "\n  mutation SetTags($runId: ID!, $tags: [String!]!) {\n    setTags(runId: $runId, tags: $tags) {\n      id\n      tags\n    }\n  }\n": types.SetTagsDocument,
    "\n  mutation SetNote($runId: ID!, $note: String!) {\n    setNote(runId: $runId, note: $note) {\n      id\n      note\n    }\n  }\n": types.SetNoteDocument,
    "\n  query DatasetSamples($id: ID!, $perClass: Int) {\n    dataset(id: $id) {\n      id\n      samples(perClass: $perClass) {\n        className\n        path\n      }\n    }\n  }\n": types.DatasetSamplesDocument,
    "\n  query PredictionSources($ids: [ID!]!) {\n    runs(filter: { ids: $ids }, first: 2) {\n      nodes {\n        id\n        name\n        dataset {\n          id\n          sourceUri\n        }\n        artifacts {\n          id\n          kind\n          name\n        }\n      }\n    }\n  }\n": types.PredictionSourcesDocument,
    "\n  mutation ImportUploadedDataset($input: ImportDatasetInput!) {\n    importDataset(input: $input) {\n      id\n      name\n      classNames\n    }\n  }\n": types.ImportUploadedDatasetDocument,
    "\n  mutation ImportUploadedArchitecture($input: ImportArchitectureInput!) {\n    importArchitecture(input: $input) {\n      id\n      name\n      parameterCount\n    }\n  }\n": types.ImportUploadedArchitectureDocument,
    "\n  query Viewer {\n    me {\n      user {\n        id\n        email\n        name\n      }\n      teams {\n        id\n        name\n        slug\n        role\n      }\n    }\n  }\n": types.ViewerDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Datasets($teamId: ID) {\n    datasets(teamId: $teamId) {\n      id\n      name\n      kind\n      sourceUri\n      classNames\n      splitCounts\n      contentHash\n      conversion\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query Datasets($teamId: ID) {\n    datasets(teamId: $teamId) {\n      id\n      name\n      kind\n      sourceUri\n      classNames\n      splitCounts\n      contentHash\n      conversion\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Architectures($teamId: ID) {\n    architectures(teamId: $teamId) {\n      id\n      name\n      family\n      sourceFormat\n      fileUri\n      fileHash\n      inputSize\n      parameterCount\n      pretrainedOn\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query Architectures($teamId: ID) {\n    architectures(teamId: $teamId) {\n      id\n      name\n      family\n      sourceFormat\n      fileUri\n      fileHash\n      inputSize\n      parameterCount\n      pretrainedOn\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LaunchCatalog($teamId: ID) {\n    projects(teamId: $teamId) {\n      id\n      name\n    }\n    datasets(teamId: $teamId) {\n      id\n      name\n      kind\n    }\n    architectures(teamId: $teamId) {\n      id\n      name\n      inputSize\n    }\n  }\n"): (typeof documents)["\n  query LaunchCatalog($teamId: ID) {\n    projects(teamId: $teamId) {\n      id\n      name\n    }\n    datasets(teamId: $teamId) {\n      id\n      name\n      kind\n    }\n    architectures(teamId: $teamId) {\n      id\n      name\n      inputSize\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CloneSource($id: ID!) {\n    run(id: $id) {\n      id\n      name\n      tags\n      hyperparameters\n      project {\n        id\n      }\n      dataset {\n        id\n      }\n      architecture {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  query CloneSource($id: ID!) {\n    run(id: $id) {\n      id\n      name\n      tags\n      hyperparameters\n      project {\n        id\n      }\n      dataset {\n        id\n      }\n      architecture {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LaunchRun($input: LaunchRunInput!) {\n    launchRun(input: $input) {\n      id\n      name\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation LaunchRun($input: LaunchRunInput!) {\n    launchRun(input: $input) {\n      id\n      name\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LaunchSweep($input: LaunchSweepInput!) {\n    launchSweep(input: $input) {\n      groupKey\n      runs {\n        id\n        name\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation LaunchSweep($input: LaunchSweepInput!) {\n    launchSweep(input: $input) {\n      groupKey\n      runs {\n        id\n        name\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LaunchKFold($input: LaunchKFoldInput!) {\n    launchKFold(input: $input) {\n      groupKey\n      runs {\n        id\n        name\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation LaunchKFold($input: LaunchKFoldInput!) {\n    launchKFold(input: $input) {\n      groupKey\n      runs {\n        id\n        name\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CloneRun($input: CloneRunInput!) {\n    cloneRun(input: $input) {\n      id\n      name\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation CloneRun($input: CloneRunInput!) {\n    cloneRun(input: $input) {\n      id\n      name\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelRun($runId: ID!) {\n    cancelRun(runId: $runId) {\n      id\n      status\n      finishedAt\n      error\n    }\n  }\n"): (typeof documents)["\n  mutation CancelRun($runId: ID!) {\n    cancelRun(runId: $runId) {\n      id\n      status\n      finishedAt\n      error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunArtifacts($id: ID!) {\n    run(id: $id) {\n      id\n      artifacts {\n        id\n        kind\n        name\n        bytes\n        sha256\n        createdAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query RunArtifacts($id: ID!) {\n    run(id: $id) {\n      id\n      artifacts {\n        id\n        kind\n        name\n        bytes\n        sha256\n        createdAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunLogs($id: ID!, $afterSeq: Int, $limit: Int) {\n    run(id: $id) {\n      id\n      attempt\n      maxAttempts\n      workerId\n      heartbeatAt\n      logs(afterSeq: $afterSeq, limit: $limit) {\n        seq\n        time\n        level\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  query RunLogs($id: ID!, $afterSeq: Int, $limit: Int) {\n    run(id: $id) {\n      id\n      attempt\n      maxAttempts\n      workerId\n      heartbeatAt\n      logs(afterSeq: $afterSeq, limit: $limit) {\n        seq\n        time\n        level\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Leaderboard($datasetId: ID!, $metric: String!, $direction: Direction, $groupBy: LeaderboardGroupBy, $summary: SummaryField) {\n    leaderboard(datasetId: $datasetId, metric: $metric, direction: $direction, groupBy: $groupBy, summary: $summary) {\n      metric\n      direction\n      dataset {\n        id\n        name\n      }\n      entries {\n        rank\n        group\n        best\n        mean\n        std\n        runCount\n        bestRun {\n          id\n          name\n          architecture {\n            id\n            name\n          }\n        }\n        runs {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Leaderboard($datasetId: ID!, $metric: String!, $direction: Direction, $groupBy: LeaderboardGroupBy, $summary: SummaryField) {\n    leaderboard(datasetId: $datasetId, metric: $metric, direction: $direction, groupBy: $groupBy, summary: $summary) {\n      metric\n      direction\n      dataset {\n        id\n        name\n      }\n      entries {\n        rank\n        group\n        best\n        mean\n        std\n        runCount\n        bestRun {\n          id\n          name\n          architecture {\n            id\n            name\n          }\n        }\n        runs {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DatasetMetricKeys($datasetId: ID!) {\n    runs(filter: { datasetId: $datasetId }, first: 20) {\n      nodes {\n        id\n        metrics {\n          key\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query DatasetMetricKeys($datasetId: ID!) {\n    runs(filter: { datasetId: $datasetId }, first: 20) {\n      nodes {\n        id\n        metrics {\n          key\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MetricHistory($runId: ID!, $key: String!, $fromStep: Long, $toStep: Long, $maxPoints: Int) {\n    metricHistory(runId: $runId, key: $key, fromStep: $fromStep, toStep: $toStep, maxPoints: $maxPoints) {\n      runId\n      key\n      downsampled\n      points {\n        step\n        value\n      }\n    }\n  }\n"): (typeof documents)["\n  query MetricHistory($runId: ID!, $key: String!, $fromStep: Long, $toStep: Long, $maxPoints: Int) {\n    metricHistory(runId: $runId, key: $key, fromStep: $fromStep, toStep: $toStep, maxPoints: $maxPoints) {\n      runId\n      key\n      downsampled\n      points {\n        step\n        value\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MetricsAppended($runId: ID!, $keys: [String!]) {\n    metricsAppended(runId: $runId, keys: $keys) {\n      runId\n      points {\n        key\n        step\n        value\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription MetricsAppended($runId: ID!, $keys: [String!]) {\n    metricsAppended(runId: $runId, keys: $keys) {\n      runId\n      points {\n        key\n        step\n        value\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CompareRuns($runIds: [ID!]!, $keys: [String!]!, $fromStep: Long, $toStep: Long, $maxPoints: Int) {\n    compareRuns(runIds: $runIds, keys: $keys, fromStep: $fromStep, toStep: $toStep, maxPoints: $maxPoints) {\n      runs {\n        id\n        name\n        status\n        groupKey\n        params {\n          key\n          value\n        }\n        metrics {\n          key\n          last\n          min\n          max\n        }\n      }\n      series {\n        runId\n        key\n        downsampled\n        points {\n          step\n          value\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query CompareRuns($runIds: [ID!]!, $keys: [String!]!, $fromStep: Long, $toStep: Long, $maxPoints: Int) {\n    compareRuns(runIds: $runIds, keys: $keys, fromStep: $fromStep, toStep: $toStep, maxPoints: $maxPoints) {\n      runs {\n        id\n        name\n        status\n        groupKey\n        params {\n          key\n          value\n        }\n        metrics {\n          key\n          last\n          min\n          max\n        }\n      }\n      series {\n        runId\n        key\n        downsampled\n        points {\n          step\n          value\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CompareRunInfos($ids: [ID!]!, $first: Int) {\n    runs(filter: { ids: $ids }, first: $first) {\n      nodes {\n        id\n        name\n        groupKey\n        params {\n          key\n          value\n        }\n        metrics {\n          key\n          last\n          min\n          max\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query CompareRunInfos($ids: [ID!]!, $first: Int) {\n    runs(filter: { ids: $ids }, first: $first) {\n      nodes {\n        id\n        name\n        groupKey\n        params {\n          key\n          value\n        }\n        metrics {\n          key\n          last\n          min\n          max\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Projects($teamId: ID) {\n    projects(teamId: $teamId) {\n      id\n      name\n      description\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query Projects($teamId: ID) {\n    projects(teamId: $teamId) {\n      id\n      name\n      description\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateProject($input: CreateProjectInput!) {\n    createProject(input: $input) {\n      id\n      name\n      description\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  mutation CreateProject($input: CreateProjectInput!) {\n    createProject(input: $input) {\n      id\n      name\n      description\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunsPage($filter: RunFilter, $sort: RunSort, $first: Int, $after: String) {\n    runs(filter: $filter, sort: $sort, first: $first, after: $after) {\n      nodes {\n        id\n        name\n        status\n        createdAt\n        tags\n        params {\n          key\n          value\n        }\n        metrics {\n          key\n          last\n          min\n          max\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n"): (typeof documents)["\n  query RunsPage($filter: RunFilter, $sort: RunSort, $first: Int, $after: String) {\n    runs(filter: $filter, sort: $sort, first: $first, after: $after) {\n      nodes {\n        id\n        name\n        status\n        createdAt\n        tags\n        params {\n          key\n          value\n        }\n        metrics {\n          key\n          last\n          min\n          max\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Run($id: ID!) {\n    run(id: $id) {\n      id\n      name\n      status\n      createdAt\n      startedAt\n      finishedAt\n      seed\n      groupKey\n      fold\n      error\n      tags\n      note\n      hyperparameters\n      project {\n        id\n        name\n      }\n      experiment {\n        id\n        name\n      }\n      dataset {\n        id\n        name\n      }\n      architecture {\n        id\n        name\n      }\n      parentRun {\n        id\n        name\n      }\n      params {\n        key\n        type\n        value\n      }\n      metrics {\n        key\n        last\n        lastStep\n        min\n        minStep\n        max\n        maxStep\n        count\n      }\n    }\n  }\n"): (typeof documents)["\n  query Run($id: ID!) {\n    run(id: $id) {\n      id\n      name\n      status\n      createdAt\n      startedAt\n      finishedAt\n      seed\n      groupKey\n      fold\n      error\n      tags\n      note\n      hyperparameters\n      project {\n        id\n        name\n      }\n      experiment {\n        id\n        name\n      }\n      dataset {\n        id\n        name\n      }\n      architecture {\n        id\n        name\n      }\n      parentRun {\n        id\n        name\n      }\n      params {\n        key\n        type\n        value\n      }\n      metrics {\n        key\n        last\n        lastStep\n        min\n        minStep\n        max\n        maxStep\n        count\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RunUpdated($runId: ID!) {\n    runUpdated(runId: $runId) {\n      id\n      status\n      startedAt\n      finishedAt\n      error\n    }\n  }\n"): (typeof documents)["\n  subscription RunUpdated($runId: ID!) {\n    runUpdated(runId: $runId) {\n      id\n      status\n      startedAt\n      finishedAt\n      error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetTags($runId: ID!, $tags: [String!]!) {\n    setTags(runId: $runId, tags: $tags) {\n      id\n      tags\n    }\n  }\n"): (typeof documents)["\n  mutation SetTags($runId: ID!, $tags: [String!]!) {\n    setTags(runId: $runId, tags: $tags) {\n      id\n      tags\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetNote($runId: ID!, $note: String!) {\n    setNote(runId: $runId, note: $note) {\n      id\n      note\n    }\n  }\n"): (typeof documents)["\n  mutation SetNote($runId: ID!, $note: String!) {\n    setNote(runId: $runId, note: $note) {\n      id\n      note\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DatasetSamples($id: ID!, $perClass: Int) {\n    dataset(id: $id) {\n      id\n      samples(perClass: $perClass) {\n        className\n        path\n      }\n    }\n  }\n"): (typeof documents)["\n  query DatasetSamples($id: ID!, $perClass: Int) {\n    dataset(id: $id) {\n      id\n      samples(perClass: $perClass) {\n        className\n        path\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PredictionSources($ids: [ID!]!) {\n    runs(filter: { ids: $ids }, first: 2) {\n      nodes {\n        id\n        name\n        dataset {\n          id\n          sourceUri\n        }\n        artifacts {\n          id\n          kind\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PredictionSources($ids: [ID!]!) {\n    runs(filter: { ids: $ids }, first: 2) {\n      nodes {\n        id\n        name\n        dataset {\n          id\n          sourceUri\n        }\n        artifacts {\n          id\n          kind\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ImportUploadedDataset($input: ImportDatasetInput!) {\n    importDataset(input: $input) {\n      id\n      name\n      classNames\n    }\n  }\n"): (typeof documents)["\n  mutation ImportUploadedDataset($input: ImportDatasetInput!) {\n    importDataset(input: $input) {\n      id\n      name\n      classNames\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ImportUploadedArchitecture($input: ImportArchitectureInput!) {\n    importArchitecture(input: $input) {\n      id\n      name\n      parameterCount\n    }\n  }\n"): (typeof documents)["\n  mutation ImportUploadedArchitecture($input: ImportArchitectureInput!) {\n    importArchitecture(input: $input) {\n      id\n      name\n      parameterCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    me {\n      user {\n        id\n        email\n        name\n      }\n      teams {\n        id\n        name\n        slug\n        role\n      }\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    me {\n      user {\n        id\n        email\n        name\n      }\n      teams {\n        id\n        name\n        slug\n        role\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;
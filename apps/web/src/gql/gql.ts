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
    "\n  query ModelCatalog($teamId: ID!) {\n    modelCatalog(teamId: $teamId) {\n      name\n      family\n      format\n      inputSize\n      license\n      sourceUrl\n      sizeBytes\n      cached\n      architectures {\n        id\n        name\n      }\n      download {\n        state\n        receivedBytes\n        totalBytes\n        error\n        errorCode\n      }\n    }\n  }\n": typeof types.ModelCatalogDocument,
    "\n  mutation ImportCatalogArchitecture($input: ImportArchitectureInput!) {\n    importArchitecture(input: $input) {\n      id\n      name\n      parameterCount\n    }\n  }\n": typeof types.ImportCatalogArchitectureDocument,
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
    "\n  mutation RenameProject($input: RenameProjectInput!) {\n    renameProject(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.RenameProjectDocument,
    "\n  query RunsPage($filter: RunFilter, $sort: RunSort, $first: Int, $after: String) {\n    runs(filter: $filter, sort: $sort, first: $first, after: $after) {\n      nodes {\n        ...RunsTableRow\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n  }\n": typeof types.RunsPageDocument,
    "\n  fragment RunsTableRow on Run {\n    id\n    name\n    status\n    createdAt\n    startedAt\n    finishedAt\n    tags\n    architecture {\n      id\n      name\n    }\n    params {\n      key\n      value\n    }\n    metrics {\n      key\n      last\n      min\n      max\n      count\n    }\n  }\n": typeof types.RunsTableRowFragmentDoc,
    "\n  query RunsRefresh($filter: RunFilter) {\n    runs(filter: $filter, first: 200) {\n      nodes {\n        ...RunsTableRow\n      }\n    }\n  }\n": typeof types.RunsRefreshDocument,
    "\n  query RunGroups($filter: RunFilter, $groupBy: RunGroupBy!, $metrics: [GroupMetricInput!]) {\n    runGroups(filter: $filter, groupBy: $groupBy, metrics: $metrics) {\n      value\n      count\n      metrics {\n        key\n        summary\n        count\n        mean\n        std\n        min\n        max\n      }\n    }\n  }\n": typeof types.RunGroupsDocument,
    "\n  query RunKeys($teamId: ID!) {\n    metricKeys(teamId: $teamId)\n    paramKeys(teamId: $teamId)\n  }\n": typeof types.RunKeysDocument,
    "\n  query Run($id: ID!) {\n    run(id: $id) {\n      id\n      name\n      status\n      createdAt\n      startedAt\n      finishedAt\n      seed\n      groupKey\n      fold\n      error\n      tags\n      note\n      attempts {\n        number\n        startedAt\n        endedAt\n        outcome\n        error\n        resumedFromStep\n        resumedFromEpoch\n      }\n      hyperparameters\n      project {\n        id\n        name\n      }\n      experiment {\n        id\n        name\n      }\n      dataset {\n        id\n        name\n      }\n      architecture {\n        id\n        name\n      }\n      parentRun {\n        id\n        name\n      }\n      params {\n        key\n        type\n        value\n      }\n      metrics {\n        key\n        last\n        lastStep\n        min\n        minStep\n        max\n        maxStep\n        count\n      }\n    }\n  }\n": typeof types.RunDocument,
    "\n  subscription RunUpdated($runId: ID!) {\n    runUpdated(runId: $runId) {\n      id\n      status\n      startedAt\n      finishedAt\n      error\n    }\n  }\n": typeof types.RunUpdatedDocument,
    "\n  mutation SetTags($runId: ID!, $tags: [String!]!) {\n    setTags(runId: $runId, tags: $tags) {\n      id\n      tags\n    }\n  }\n": typeof types.SetTagsDocument,
    "\n  mutation SetNote($runId: ID!, $note: String!) {\n    setNote(runId: $runId, note: $note) {\n      id\n      note\n    }\n  }\n": typeof types.SetNoteDocument,
    "\n  query DatasetSamples($id: ID!, $perClass: Int) {\n    dataset(id: $id) {\n      id\n      samples(perClass: $perClass) {\n        className\n        path\n      }\n    }\n  }\n": typeof types.DatasetSamplesDocument,
    "\n  query PredictionSources($ids: [ID!]!) {\n    runs(filter: { ids: $ids }, first: 2) {\n      nodes {\n        id\n        name\n        dataset {\n          id\n          sourceUri\n        }\n        artifacts {\n          id\n          kind\n          name\n        }\n      }\n    }\n  }\n": typeof types.PredictionSourcesDocument,
    "\n  query Members($teamId: ID!) {\n    members(teamId: $teamId) {\n      user {\n        id\n        email\n        name\n      }\n      role\n      joinedAt\n    }\n  }\n": typeof types.MembersDocument,
    "\n  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) {\n      role\n    }\n  }\n": typeof types.ChangeMemberRoleDocument,
    "\n  mutation RemoveMember($teamId: ID!, $userId: ID!) {\n    removeMember(teamId: $teamId, userId: $userId) {\n      role\n    }\n  }\n": typeof types.RemoveMemberDocument,
    "\n  mutation LeaveTeam($teamId: ID!) {\n    leaveTeam(teamId: $teamId) {\n      role\n    }\n  }\n": typeof types.LeaveTeamDocument,
    "\n  query Invites($teamId: ID!) {\n    invites(teamId: $teamId) {\n      id\n      role\n      email\n      prefix\n      createdAt\n      expiresAt\n    }\n  }\n": typeof types.InvitesDocument,
    "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      token\n      invite {\n        id\n        role\n        email\n        expiresAt\n      }\n    }\n  }\n": typeof types.InviteMemberDocument,
    "\n  mutation RevokeInvite($id: ID!) {\n    revokeInvite(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": typeof types.RevokeInviteDocument,
    "\n  mutation AcceptInvite($token: String!) {\n    acceptInvite(token: $token) {\n      id\n      name\n      role\n    }\n  }\n": typeof types.AcceptInviteDocument,
    "\n  query ApiTokens {\n    me {\n      apiTokens {\n        id\n        name\n        prefix\n        createdAt\n        lastUsedAt\n        expiresAt\n        revokedAt\n      }\n    }\n  }\n": typeof types.ApiTokensDocument,
    "\n  mutation CreateApiToken($name: String!, $expiresAt: DateTime) {\n    createApiToken(name: $name, expiresAt: $expiresAt) {\n      token\n      apiToken {\n        id\n        name\n        prefix\n        expiresAt\n      }\n    }\n  }\n": typeof types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": typeof types.RevokeApiTokenDocument,
    "\n  query AuditLog($teamId: ID!, $first: Int, $after: String) {\n    auditLog(teamId: $teamId, first: $first, after: $after) {\n      nodes {\n        id\n        action\n        actor {\n          id\n          email\n          name\n        }\n        subjectType\n        subjectId\n        detail\n        createdAt\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n": typeof types.AuditLogDocument,
    "\n  mutation ImportUploadedDataset($input: ImportDatasetInput!) {\n    importDataset(input: $input) {\n      id\n      name\n      classNames\n    }\n  }\n": typeof types.ImportUploadedDatasetDocument,
    "\n  mutation ImportUploadedArchitecture($input: ImportArchitectureInput!) {\n    importArchitecture(input: $input) {\n      id\n      name\n      parameterCount\n    }\n  }\n": typeof types.ImportUploadedArchitectureDocument,
    "\n  query Viewer {\n    me {\n      user {\n        id\n        email\n        name\n      }\n      teams {\n        id\n        name\n        slug\n        role\n      }\n    }\n  }\n": typeof types.ViewerDocument,
};
const documents: Documents = {
    "\n  query Datasets($teamId: ID) {\n    datasets(teamId: $teamId) {\n      id\n      name\n      kind\n      sourceUri\n      classNames\n      splitCounts\n      contentHash\n      conversion\n      createdAt\n    }\n  }\n": types.DatasetsDocument,
    "\n  query Architectures($teamId: ID) {\n    architectures(teamId: $teamId) {\n      id\n      name\n      family\n      sourceFormat\n      fileUri\n      fileHash\n      inputSize\n      parameterCount\n      pretrainedOn\n      createdAt\n    }\n  }\n": types.ArchitecturesDocument,
    "\n  query ModelCatalog($teamId: ID!) {\n    modelCatalog(teamId: $teamId) {\n      name\n      family\n      format\n      inputSize\n      license\n      sourceUrl\n      sizeBytes\n      cached\n      architectures {\n        id\n        name\n      }\n      download {\n        state\n        receivedBytes\n        totalBytes\n        error\n        errorCode\n      }\n    }\n  }\n": types.ModelCatalogDocument,
    "\n  mutation ImportCatalogArchitecture($input: ImportArchitectureInput!) {\n    importArchitecture(input: $input) {\n      id\n      name\n      parameterCount\n    }\n  }\n": types.ImportCatalogArchitectureDocument,
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
    "\n  mutation RenameProject($input: RenameProjectInput!) {\n    renameProject(input: $input) {\n      id\n      name\n    }\n  }\n": types.RenameProjectDocument,
    "\n  query RunsPage($filter: RunFilter, $sort: RunSort, $first: Int, $after: String) {\n    runs(filter: $filter, sort: $sort, first: $first, after: $after) {\n      nodes {\n        ...RunsTableRow\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n  }\n": types.RunsPageDocument,
    "\n  fragment RunsTableRow on Run {\n    id\n    name\n    status\n    createdAt\n    startedAt\n    finishedAt\n    tags\n    architecture {\n      id\n      name\n    }\n    params {\n      key\n      value\n    }\n    metrics {\n      key\n      last\n      min\n      max\n      count\n    }\n  }\n": types.RunsTableRowFragmentDoc,
    "\n  query RunsRefresh($filter: RunFilter) {\n    runs(filter: $filter, first: 200) {\n      nodes {\n        ...RunsTableRow\n      }\n    }\n  }\n": types.RunsRefreshDocument,
    "\n  query RunGroups($filter: RunFilter, $groupBy: RunGroupBy!, $metrics: [GroupMetricInput!]) {\n    runGroups(filter: $filter, groupBy: $groupBy, metrics: $metrics) {\n      value\n      count\n      metrics {\n        key\n        summary\n        count\n        mean\n        std\n        min\n        max\n      }\n    }\n  }\n": types.RunGroupsDocument,
    "\n  query RunKeys($teamId: ID!) {\n    metricKeys(teamId: $teamId)\n    paramKeys(teamId: $teamId)\n  }\n": types.RunKeysDocument,
    "\n  query Run($id: ID!) {\n    run(id: $id) {\n      id\n      name\n      status\n      createdAt\n      startedAt\n      finishedAt\n      seed\n      groupKey\n      fold\n      error\n      tags\n      note\n      attempts {\n        number\n        startedAt\n        endedAt\n        outcome\n        error\n        resumedFromStep\n        resumedFromEpoch\n      }\n      hyperparameters\n      project {\n        id\n        name\n      }\n      experiment {\n        id\n        name\n      }\n      dataset {\n        id\n        name\n      }\n      architecture {\n        id\n        name\n      }\n      parentRun {\n        id\n        name\n      }\n      params {\n        key\n        type\n        value\n      }\n      metrics {\n        key\n        last\n        lastStep\n        min\n        minStep\n        max\n        maxStep\n        count\n      }\n    }\n  }\n": types.RunDocument,
    "\n  subscription RunUpdated($runId: ID!) {\n    runUpdated(runId: $runId) {\n      id\n      status\n      startedAt\n      finishedAt\n      error\n    }\n  }\n": types.RunUpdatedDocument,
    "\n  mutation SetTags($runId: ID!, $tags: [String!]!) {\n    setTags(runId: $runId, tags: $tags) {\n      id\n      tags\n    }\n  }\n": types.SetTagsDocument,
    "\n  mutation SetNote($runId: ID!, $note: String!) {\n    setNote(runId: $runId, note: $note) {\n      id\n      note\n    }\n  }\n": types.SetNoteDocument,
    "\n  query DatasetSamples($id: ID!, $perClass: Int) {\n    dataset(id: $id) {\n      id\n      samples(perClass: $perClass) {\n        className\n        path\n      }\n    }\n  }\n": types.DatasetSamplesDocument,
    "\n  query PredictionSources($ids: [ID!]!) {\n    runs(filter: { ids: $ids }, first: 2) {\n      nodes {\n        id\n        name\n        dataset {\n          id\n          sourceUri\n        }\n        artifacts {\n          id\n          kind\n          name\n        }\n      }\n    }\n  }\n": types.PredictionSourcesDocument,
    "\n  query Members($teamId: ID!) {\n    members(teamId: $teamId) {\n      user {\n        id\n        email\n        name\n      }\n      role\n      joinedAt\n    }\n  }\n": types.MembersDocument,
    "\n  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) {\n      role\n    }\n  }\n": types.ChangeMemberRoleDocument,
    "\n  mutation RemoveMember($teamId: ID!, $userId: ID!) {\n    removeMember(teamId: $teamId, userId: $userId) {\n      role\n    }\n  }\n": types.RemoveMemberDocument,
    "\n  mutation LeaveTeam($teamId: ID!) {\n    leaveTeam(teamId: $teamId) {\n      role\n    }\n  }\n": types.LeaveTeamDocument,
    "\n  query Invites($teamId: ID!) {\n    invites(teamId: $teamId) {\n      id\n      role\n      email\n      prefix\n      createdAt\n      expiresAt\n    }\n  }\n": types.InvitesDocument,
    "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      token\n      invite {\n        id\n        role\n        email\n        expiresAt\n      }\n    }\n  }\n": types.InviteMemberDocument,
    "\n  mutation RevokeInvite($id: ID!) {\n    revokeInvite(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": types.RevokeInviteDocument,
    "\n  mutation AcceptInvite($token: String!) {\n    acceptInvite(token: $token) {\n      id\n      name\n      role\n    }\n  }\n": types.AcceptInviteDocument,
    "\n  query ApiTokens {\n    me {\n      apiTokens {\n        id\n        name\n        prefix\n        createdAt\n        lastUsedAt\n        expiresAt\n        revokedAt\n      }\n    }\n  }\n": types.ApiTokensDocument,
    "\n  mutation CreateApiToken($name: String!, $expiresAt: DateTime) {\n    createApiToken(name: $name, expiresAt: $expiresAt) {\n      token\n      apiToken {\n        id\n        name\n        prefix\n        expiresAt\n      }\n    }\n  }\n": types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": types.RevokeApiTokenDocument,
    "\n  query AuditLog($teamId: ID!, $first: Int, $after: String) {\n    auditLog(teamId: $teamId, first: $first, after: $after) {\n      nodes {\n        id\n        action\n        actor {\n          id\n          email\n          name\n        }\n        subjectType\n        subjectId\n        detail\n        createdAt\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n": types.AuditLogDocument,
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
export function graphql(source: "\n  query ModelCatalog($teamId: ID!) {\n    modelCatalog(teamId: $teamId) {\n      name\n      family\n      format\n      inputSize\n      license\n      sourceUrl\n      sizeBytes\n      cached\n      architectures {\n        id\n        name\n      }\n      download {\n        state\n        receivedBytes\n        totalBytes\n        error\n        errorCode\n      }\n    }\n  }\n"): (typeof documents)["\n  query ModelCatalog($teamId: ID!) {\n    modelCatalog(teamId: $teamId) {\n      name\n      family\n      format\n      inputSize\n      license\n      sourceUrl\n      sizeBytes\n      cached\n      architectures {\n        id\n        name\n      }\n      download {\n        state\n        receivedBytes\n        totalBytes\n        error\n        errorCode\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ImportCatalogArchitecture($input: ImportArchitectureInput!) {\n    importArchitecture(input: $input) {\n      id\n      name\n      parameterCount\n    }\n  }\n"): (typeof documents)["\n  mutation ImportCatalogArchitecture($input: ImportArchitectureInput!) {\n    importArchitecture(input: $input) {\n      id\n      name\n      parameterCount\n    }\n  }\n"];
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
export function graphql(source: "\n  mutation RenameProject($input: RenameProjectInput!) {\n    renameProject(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation RenameProject($input: RenameProjectInput!) {\n    renameProject(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunsPage($filter: RunFilter, $sort: RunSort, $first: Int, $after: String) {\n    runs(filter: $filter, sort: $sort, first: $first, after: $after) {\n      nodes {\n        ...RunsTableRow\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n  }\n"): (typeof documents)["\n  query RunsPage($filter: RunFilter, $sort: RunSort, $first: Int, $after: String) {\n    runs(filter: $filter, sort: $sort, first: $first, after: $after) {\n      nodes {\n        ...RunsTableRow\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      totalCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunsTableRow on Run {\n    id\n    name\n    status\n    createdAt\n    startedAt\n    finishedAt\n    tags\n    architecture {\n      id\n      name\n    }\n    params {\n      key\n      value\n    }\n    metrics {\n      key\n      last\n      min\n      max\n      count\n    }\n  }\n"): (typeof documents)["\n  fragment RunsTableRow on Run {\n    id\n    name\n    status\n    createdAt\n    startedAt\n    finishedAt\n    tags\n    architecture {\n      id\n      name\n    }\n    params {\n      key\n      value\n    }\n    metrics {\n      key\n      last\n      min\n      max\n      count\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunsRefresh($filter: RunFilter) {\n    runs(filter: $filter, first: 200) {\n      nodes {\n        ...RunsTableRow\n      }\n    }\n  }\n"): (typeof documents)["\n  query RunsRefresh($filter: RunFilter) {\n    runs(filter: $filter, first: 200) {\n      nodes {\n        ...RunsTableRow\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunGroups($filter: RunFilter, $groupBy: RunGroupBy!, $metrics: [GroupMetricInput!]) {\n    runGroups(filter: $filter, groupBy: $groupBy, metrics: $metrics) {\n      value\n      count\n      metrics {\n        key\n        summary\n        count\n        mean\n        std\n        min\n        max\n      }\n    }\n  }\n"): (typeof documents)["\n  query RunGroups($filter: RunFilter, $groupBy: RunGroupBy!, $metrics: [GroupMetricInput!]) {\n    runGroups(filter: $filter, groupBy: $groupBy, metrics: $metrics) {\n      value\n      count\n      metrics {\n        key\n        summary\n        count\n        mean\n        std\n        min\n        max\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunKeys($teamId: ID!) {\n    metricKeys(teamId: $teamId)\n    paramKeys(teamId: $teamId)\n  }\n"): (typeof documents)["\n  query RunKeys($teamId: ID!) {\n    metricKeys(teamId: $teamId)\n    paramKeys(teamId: $teamId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Run($id: ID!) {\n    run(id: $id) {\n      id\n      name\n      status\n      createdAt\n      startedAt\n      finishedAt\n      seed\n      groupKey\n      fold\n      error\n      tags\n      note\n      attempts {\n        number\n        startedAt\n        endedAt\n        outcome\n        error\n        resumedFromStep\n        resumedFromEpoch\n      }\n      hyperparameters\n      project {\n        id\n        name\n      }\n      experiment {\n        id\n        name\n      }\n      dataset {\n        id\n        name\n      }\n      architecture {\n        id\n        name\n      }\n      parentRun {\n        id\n        name\n      }\n      params {\n        key\n        type\n        value\n      }\n      metrics {\n        key\n        last\n        lastStep\n        min\n        minStep\n        max\n        maxStep\n        count\n      }\n    }\n  }\n"): (typeof documents)["\n  query Run($id: ID!) {\n    run(id: $id) {\n      id\n      name\n      status\n      createdAt\n      startedAt\n      finishedAt\n      seed\n      groupKey\n      fold\n      error\n      tags\n      note\n      attempts {\n        number\n        startedAt\n        endedAt\n        outcome\n        error\n        resumedFromStep\n        resumedFromEpoch\n      }\n      hyperparameters\n      project {\n        id\n        name\n      }\n      experiment {\n        id\n        name\n      }\n      dataset {\n        id\n        name\n      }\n      architecture {\n        id\n        name\n      }\n      parentRun {\n        id\n        name\n      }\n      params {\n        key\n        type\n        value\n      }\n      metrics {\n        key\n        last\n        lastStep\n        min\n        minStep\n        max\n        maxStep\n        count\n      }\n    }\n  }\n"];
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
export function graphql(source: "\n  query Members($teamId: ID!) {\n    members(teamId: $teamId) {\n      user {\n        id\n        email\n        name\n      }\n      role\n      joinedAt\n    }\n  }\n"): (typeof documents)["\n  query Members($teamId: ID!) {\n    members(teamId: $teamId) {\n      user {\n        id\n        email\n        name\n      }\n      role\n      joinedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) {\n      role\n    }\n  }\n"): (typeof documents)["\n  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) {\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveMember($teamId: ID!, $userId: ID!) {\n    removeMember(teamId: $teamId, userId: $userId) {\n      role\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveMember($teamId: ID!, $userId: ID!) {\n    removeMember(teamId: $teamId, userId: $userId) {\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LeaveTeam($teamId: ID!) {\n    leaveTeam(teamId: $teamId) {\n      role\n    }\n  }\n"): (typeof documents)["\n  mutation LeaveTeam($teamId: ID!) {\n    leaveTeam(teamId: $teamId) {\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Invites($teamId: ID!) {\n    invites(teamId: $teamId) {\n      id\n      role\n      email\n      prefix\n      createdAt\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  query Invites($teamId: ID!) {\n    invites(teamId: $teamId) {\n      id\n      role\n      email\n      prefix\n      createdAt\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      token\n      invite {\n        id\n        role\n        email\n        expiresAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      token\n      invite {\n        id\n        role\n        email\n        expiresAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeInvite($id: ID!) {\n    revokeInvite(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeInvite($id: ID!) {\n    revokeInvite(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvite($token: String!) {\n    acceptInvite(token: $token) {\n      id\n      name\n      role\n    }\n  }\n"): (typeof documents)["\n  mutation AcceptInvite($token: String!) {\n    acceptInvite(token: $token) {\n      id\n      name\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiTokens {\n    me {\n      apiTokens {\n        id\n        name\n        prefix\n        createdAt\n        lastUsedAt\n        expiresAt\n        revokedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query ApiTokens {\n    me {\n      apiTokens {\n        id\n        name\n        prefix\n        createdAt\n        lastUsedAt\n        expiresAt\n        revokedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiToken($name: String!, $expiresAt: DateTime) {\n    createApiToken(name: $name, expiresAt: $expiresAt) {\n      token\n      apiToken {\n        id\n        name\n        prefix\n        expiresAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiToken($name: String!, $expiresAt: DateTime) {\n    createApiToken(name: $name, expiresAt: $expiresAt) {\n      token\n      apiToken {\n        id\n        name\n        prefix\n        expiresAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLog($teamId: ID!, $first: Int, $after: String) {\n    auditLog(teamId: $teamId, first: $first, after: $after) {\n      nodes {\n        id\n        action\n        actor {\n          id\n          email\n          name\n        }\n        subjectType\n        subjectId\n        detail\n        createdAt\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditLog($teamId: ID!, $first: Int, $after: String) {\n    auditLog(teamId: $teamId, first: $first, after: $after) {\n      nodes {\n        id\n        action\n        actor {\n          id\n          email\n          name\n        }\n        subjectType\n        subjectId\n        detail\n        createdAt\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n"];
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
import { Architecture } from "./Architecture.ts";
import { CatalogModel } from "./CatalogModel.ts";
import { Dataset } from "./Dataset.ts";
import { Experiment } from "./Experiment.ts";
import { Artifact, LaunchMutation, RunLaunchFields } from "./Launch.ts";
import { LeaderboardEntry } from "./Leaderboard.ts";
import { MetricsAppended } from "./MetricsAppended.ts";
import { Mutation } from "./Mutation.ts";
import { Project } from "./Project.ts";
import { Query } from "./Query.ts";
import { Run, RunParam } from "./Run.ts";
import { RunConnection } from "./RunConnection.ts";
import { DateTime, JSONScalar, Long } from "./scalars.ts";
import { Subscription } from "./Subscription.ts";
import { Team } from "./Team.ts";
import { Viewer } from "./Viewer.ts";

export const resolvers = {
  DateTime,
  JSON: JSONScalar,
  Long,
  Query,
  Mutation: { ...Mutation, ...LaunchMutation },
  Subscription,
  Viewer,
  Team,
  Project,
  Experiment,
  Dataset,
  Architecture,
  CatalogModel,
  Run: { ...Run, ...RunLaunchFields },
  Artifact,
  RunParam,
  RunConnection,
  LeaderboardEntry,
  MetricsAppended,
};

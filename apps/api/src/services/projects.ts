/** Projects and their experiments. */
import { type Database, EXPERIMENT_COLUMNS, type ExperimentRecord, notFound, PROJECT_COLUMNS, type ProjectRecord } from "@runboard/db";
import { z } from "zod";
import type { Loaders } from "../data/loaders.ts";
import { description, id, name, parseArgs } from "../validation.ts";
import { authorize, teamsWith, type Caller } from "./permissions.ts";
import { uniqueAs } from "./unique.ts";

export interface Scope {
  db: Database;
  loaders: Loaders;
  caller: Caller;
}

/** A project the caller may read (NOT_FOUND otherwise). */
export async function readableProject({ loaders, caller }: Scope, projectId: string): Promise<ProjectRecord> {
  const project = await loaders.project.load(projectId);
  if (project === null) throw notFound("project", projectId);
  authorize(caller, project.teamId, "team:read", { kind: "project", id: projectId });
  return project;
}

export async function listProjects({ db, caller }: Scope, args: unknown): Promise<ProjectRecord[]> {
  const input = parseArgs(z.object({ teamId: id.nullish() }), args);
  const teams = teamsWith(caller, "team:read", input.teamId);
  return db.rows<ProjectRecord>(`SELECT ${PROJECT_COLUMNS} FROM project p WHERE p.team_id = ANY($1::uuid[]) ORDER BY p.name`, [teams]);
}

export async function listExperiments(scope: Scope, args: unknown): Promise<ExperimentRecord[]> {
  const input = parseArgs(z.object({ projectId: id }), args);
  await readableProject(scope, input.projectId);
  return scope.db.rows<ExperimentRecord>(
    `SELECT ${EXPERIMENT_COLUMNS} FROM experiment e JOIN project p ON p.id = e.project_id
     WHERE e.project_id = $1 ORDER BY e.name`,
    [input.projectId],
  );
}

const createProjectArgs = z.object({
  input: z.object({ teamId: id, name, description: description.nullish() }),
});

export async function createProject({ db, caller }: Scope, args: unknown): Promise<ProjectRecord> {
  const { input } = parseArgs(createProjectArgs, args);
  authorize(caller, input.teamId, "project:write", { kind: "team", id: input.teamId });
  const [project] = await uniqueAs("input.name", "a project of this name exists in the team", () =>
    db.rows<ProjectRecord>(
      `INSERT INTO project AS p (id, team_id, name, description) VALUES (gen_random_uuid(), $1, $2, $3)
       RETURNING ${PROJECT_COLUMNS}`,
      [input.teamId, input.name, input.description ?? ""],
    ),
  );
  if (project === undefined) throw new Error("insert returned no project");
  return project;
}

const renameProjectArgs = z.object({
  input: z.object({ projectId: id, name }),
});

/** A new name for a project (project:write); names stay unique within the team. */
export async function renameProject(scope: Scope, args: unknown): Promise<ProjectRecord> {
  const { input } = parseArgs(renameProjectArgs, args);
  const project = await readableProject(scope, input.projectId);
  authorize(scope.caller, project.teamId, "project:write", { kind: "project", id: project.id });
  const [renamed] = await uniqueAs("input.name", "a project of this name exists in the team", () =>
    scope.db.rows<ProjectRecord>(`UPDATE project AS p SET name = $2 WHERE p.id = $1 RETURNING ${PROJECT_COLUMNS}`, [project.id, input.name]),
  );
  if (renamed === undefined) throw notFound("project", project.id);
  scope.loaders.project.clear(project.id);
  return renamed;
}

const createExperimentArgs = z.object({
  input: z.object({ projectId: id, name, description: description.nullish() }),
});

export async function createExperiment(scope: Scope, args: unknown): Promise<ExperimentRecord> {
  const { input } = parseArgs(createExperimentArgs, args);
  const project = await readableProject(scope, input.projectId);
  authorize(scope.caller, project.teamId, "experiment:write", { kind: "project", id: project.id });
  const [experiment] = await uniqueAs("input.name", "an experiment of this name exists in the project", () =>
    scope.db.rows<Omit<ExperimentRecord, "teamId">>(
      `INSERT INTO experiment (id, project_id, name, description) VALUES (gen_random_uuid(), $1, $2, $3)
       RETURNING id, project_id AS "projectId", name, description, created_at AS "createdAt"`,
      [project.id, input.name, input.description ?? ""],
    ),
  );
  if (experiment === undefined) throw new Error("insert returned no experiment");
  return { ...experiment, teamId: project.teamId };
}

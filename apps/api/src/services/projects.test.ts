import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCode, gql, gqlOk, seedTeam, startTestApi, type SeededTeam, type TestApi } from "../testing/harness.ts";

let t: TestApi;
let team: SeededTeam;

beforeAll(async () => {
  t = await startTestApi();
  team = await seedTeam(t.db);
});
afterAll(async () => {
  await t.close();
});

const CREATE_PROJECT = `mutation($input: CreateProjectInput!) { createProject(input: $input) { id name description team { id } } }`;
const RENAME_PROJECT = `mutation($input: RenameProjectInput!) { renameProject(input: $input) { id name description } }`;
const CREATE_EXPERIMENT = `mutation($input: CreateExperimentInput!) { createExperiment(input: $input) { id name project { id name } } }`;

describe("projects and experiments", () => {
  it("creates and lists projects and their experiments", async () => {
    const { createProject } = await gqlOk(t.url, team.member.token, CREATE_PROJECT, {
      input: { teamId: team.teamId, name: "pets", description: "cats vs dogs" },
    });
    expect(createProject).toMatchObject({ name: "pets", description: "cats vs dogs", team: { id: team.teamId } });
    const { createExperiment } = await gqlOk(t.url, team.member.token, CREATE_EXPERIMENT, {
      input: { projectId: createProject.id, name: "frozen backbone" },
    });
    expect(createExperiment.project).toEqual({ id: createProject.id, name: "pets" });

    const listed = await gqlOk(
      t.url,
      team.viewer.token,
      `query($teamId: ID, $projectId: ID!) { projects(teamId: $teamId) { name experiments { name } } experiments(projectId: $projectId) { id } }`,
      { teamId: team.teamId, projectId: createProject.id },
    );
    expect(listed.projects).toEqual([{ name: "pets", experiments: [{ name: "frozen backbone" }] }]);
    expect(listed.experiments).toEqual([{ id: createExperiment.id }]);
  });

  it("names the field and rule of a bad input, and writes nothing", async () => {
    const blank = await gql(t.url, team.member.token, CREATE_PROJECT, { input: { teamId: team.teamId, name: "  " } });
    expect(errorCode(blank)).toBe("BAD_USER_INPUT");
    expect(blank.errors?.[0]?.extensions).toMatchObject({ field: "input.name", rule: "must not be empty" });

    const badId = await gql(t.url, team.member.token, CREATE_PROJECT, { input: { teamId: "nope", name: "x" } });
    expect(badId.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.teamId", rule: "must be a UUID" });

    await gqlOk(t.url, team.member.token, CREATE_PROJECT, { input: { teamId: team.teamId, name: "twice" } });
    const duplicate = await gql(t.url, team.member.token, CREATE_PROJECT, { input: { teamId: team.teamId, name: "twice" } });
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.name" });

    const { rows } = await t.db.pool.query(`SELECT name FROM project WHERE team_id = $1 AND name IN ('  ', 'x', 'twice')`, [team.teamId]);
    expect(rows).toEqual([{ name: "twice" }]);
  });

  it("lets viewers read but not write", async () => {
    const result = await gql(t.url, team.viewer.token, CREATE_PROJECT, { input: { teamId: team.teamId, name: "viewer's" } });
    expect(errorCode(result)).toBe("FORBIDDEN");
    expect(result.errors?.[0]?.extensions?.permission).toBe("project:write");
    const { rowCount } = await t.db.pool.query(`SELECT 1 FROM project WHERE name = $1`, ["viewer's"]);
    expect(rowCount).toBe(0);
  });

  it("renames a project: trimmed, unique in the team, viewers refused, runs kept", async () => {
    const { createProject } = await gqlOk(t.url, team.member.token, CREATE_PROJECT, { input: { teamId: team.teamId, name: "old name", description: "kept" } });
    await gqlOk(t.url, team.member.token, CREATE_PROJECT, { input: { teamId: team.teamId, name: "taken" } });
    const { createRun } = await gqlOk(t.url, team.member.token, `mutation($p: ID!) { createRun(input: { projectId: $p, name: "r" }) { id } }`, {
      p: createProject.id,
    });

    const { renameProject } = await gqlOk(t.url, team.owner.token, RENAME_PROJECT, { input: { projectId: createProject.id, name: "  new name  " } });
    expect(renameProject).toEqual({ id: createProject.id, name: "new name", description: "kept" });
    const read = await gqlOk(t.url, team.viewer.token, `query($id: ID!) { run(id: $id) { project { id name } } }`, { id: createRun.id });
    expect(read.run.project).toEqual({ id: createProject.id, name: "new name" });

    const blank = await gql(t.url, team.member.token, RENAME_PROJECT, { input: { projectId: createProject.id, name: " " } });
    expect(blank.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.name", rule: "must not be empty" });
    const long = await gql(t.url, team.member.token, RENAME_PROJECT, { input: { projectId: createProject.id, name: "x".repeat(201) } });
    expect(long.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.name", rule: "must be at most 200 characters" });
    const duplicate = await gql(t.url, team.member.token, RENAME_PROJECT, { input: { projectId: createProject.id, name: "taken" } });
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.name", rule: "a project of this name exists in the team" });
    const badId = await gql(t.url, team.member.token, RENAME_PROJECT, { input: { projectId: "nope", name: "x" } });
    expect(badId.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.projectId", rule: "must be a UUID" });

    const refused = await gql(t.url, team.viewer.token, RENAME_PROJECT, { input: { projectId: createProject.id, name: "viewer's" } });
    expect(errorCode(refused)).toBe("FORBIDDEN");
    expect(refused.errors?.[0]?.extensions?.permission).toBe("project:write");

    const { rows } = await t.db.pool.query(`SELECT name FROM project WHERE id = $1`, [createProject.id]);
    expect(rows).toEqual([{ name: "new name" }]);
  });
});

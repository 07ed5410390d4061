/** The team's projects, read once per request (the sidebar and a page may both ask). */
import { cache } from "react";
import { ProjectsDocument } from "../graphql/projects.ts";
import { serverQuery } from "./session.ts";

export const teamProjects = cache(async (teamId: string) => (await serverQuery(ProjectsDocument, { teamId })).projects);

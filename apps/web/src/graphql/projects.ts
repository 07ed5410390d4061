import { graphql } from "../gql/index.ts";

/** The team's projects: the sidebar's switcher and the projects page. */
export const ProjectsDocument = graphql(`
  query Projects($teamId: ID) {
    projects(teamId: $teamId) {
      id
      name
      description
      createdAt
    }
  }
`);

export const CreateProjectDocument = graphql(`
  mutation CreateProject($input: CreateProjectInput!) {
    createProject(input: $input) {
      id
      name
      description
      createdAt
    }
  }
`);

export const RenameProjectDocument = graphql(`
  mutation RenameProject($input: RenameProjectInput!) {
    renameProject(input: $input) {
      id
      name
    }
  }
`);

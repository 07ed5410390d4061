import { graphql } from "../gql/index.ts";

export const ViewerDocument = graphql(`
  query Viewer {
    me {
      user {
        id
        email
        name
      }
      teams {
        id
        name
        slug
        role
      }
    }
  }
`);

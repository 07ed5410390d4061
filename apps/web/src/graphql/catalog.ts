import { graphql } from "../gql/index.ts";

export const DatasetsDocument = graphql(`
  query Datasets($teamId: ID) {
    datasets(teamId: $teamId) {
      id
      name
      kind
      sourceUri
      classNames
      splitCounts
      contentHash
      conversion
      createdAt
    }
  }
`);

export const ArchitecturesDocument = graphql(`
  query Architectures($teamId: ID) {
    architectures(teamId: $teamId) {
      id
      name
      family
      sourceFormat
      fileUri
      fileHash
      inputSize
      parameterCount
      pretrainedOn
      createdAt
    }
  }
`);

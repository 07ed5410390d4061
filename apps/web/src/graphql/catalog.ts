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

export const ModelCatalogDocument = graphql(`
  query ModelCatalog($teamId: ID!) {
    modelCatalog(teamId: $teamId) {
      name
      family
      format
      inputSize
      license
      sourceUrl
      sizeBytes
      cached
      architectures {
        id
        name
      }
      download {
        state
        receivedBytes
        totalBytes
        error
        errorCode
      }
    }
  }
`);

export const ImportCatalogArchitectureDocument = graphql(`
  mutation ImportCatalogArchitecture($input: ImportArchitectureInput!) {
    importArchitecture(input: $input) {
      id
      name
      parameterCount
    }
  }
`);

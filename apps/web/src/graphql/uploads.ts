import { graphql } from "../gql/index.ts";

export const ImportUploadedDatasetDocument = graphql(`
  mutation ImportUploadedDataset($input: ImportDatasetInput!) {
    importDataset(input: $input) {
      id
      name
      classNames
    }
  }
`);

export const ImportUploadedArchitectureDocument = graphql(`
  mutation ImportUploadedArchitecture($input: ImportArchitectureInput!) {
    importArchitecture(input: $input) {
      id
      name
      parameterCount
    }
  }
`);

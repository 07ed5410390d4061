import { graphql } from "../gql/index.ts";

export const DatasetSamplesDocument = graphql(`
  query DatasetSamples($id: ID!, $perClass: Int) {
    dataset(id: $id) {
      id
      samples(perClass: $perClass) {
        className
        path
      }
    }
  }
`);

/** What the confusion-cell images and the prediction diff need of runs: their dataset folder and predictions artifact. */
export const PredictionSourcesDocument = graphql(`
  query PredictionSources($ids: [ID!]!) {
    runs(filter: { ids: $ids }, first: 2) {
      nodes {
        id
        name
        dataset {
          id
          sourceUri
        }
        artifacts {
          id
          kind
          name
        }
      }
    }
  }
`);

// Values the db globalSetup provides to test files (read them with `inject` from vitest).
declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated database shared by the test files of this project (make names unique). */
    databaseUrl: string;
    /** What createTestDatabase() needs to clone a fresh migrated database. */
    testDatabaseServer: { maintenanceUrl: string; template: string };
  }
}

export {};

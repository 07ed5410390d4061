/** The per-request context: the caller, the database, fresh loaders, the event hub. */
import type { Database } from "@runboard/db";
import type { CatalogLocation } from "@runboard/trainer/models";
import { createLoaders, type Loaders } from "../data/loaders.ts";
import type { EventHub } from "../events/hub.ts";
import type { Caller } from "../services/permissions.ts";
import { authenticate } from "../services/viewer.ts";
import type { UploadLimits } from "../uploads/limits.ts";
import type { RateLimiter } from "./rate-limits.ts";

/** Where launched runs' files and uploads live, which server folders may be imported, and how large uploads may be. */
export interface LaunchSettings {
  artifactRoot: string;
  sourceRoots: readonly string[];
  uploadLimits: UploadLimits;
  /** The backbone catalog file and the model cache (importArchitecture's `catalog`, modelCatalog). */
  modelCatalog: CatalogLocation;
}

export interface ApiContext {
  db: Database;
  launch: LaunchSettings;
  caller: Caller;
  loaders: Loaders;
  events: EventHub;
}

export interface ContextDeps {
  db: Database;
  launch: LaunchSettings;
  events: EventHub;
  /** Per-token rates, shared by GraphQL and the REST metrics route. */
  rateLimits: RateLimiter;
}

export async function createContext(deps: ContextDeps, authorization: string | undefined): Promise<ApiContext> {
  const caller = await authenticate(deps.db, authorization);
  return { ...deps, caller, loaders: createLoaders(deps.db) };
}

/**
 * Telling a database outage from a fault of the statement. Callers of an unreachable database
 * get DATABASE_UNAVAILABLE (HTTP 503, "database unavailable"); the driver's own message, which
 * names the server's address (`connect ECONNREFUSED 10.0.0.5:5432`), goes to the log only.
 */
import { GraphQLError } from "graphql";
import { databaseUnavailable } from "./errors.ts";

/** Socket errors of a connection that cannot be opened or was cut. */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE"]);

/**
 * SQLSTATEs of a server that is going away or not taking connections: class 08 (connection
 * exception), 57P01-57P03 (admin or crash shutdown, cannot connect now), 53300 (too many connections).
 */
const SERVER_STATES = /^(08...|57P0[123]|53300)$/;

/** node-postgres and pg-pool say these without a code. */
const DRIVER_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed)/;

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (NETWORK_CODES.has(code) || SERVER_STATES.test(code))) return true;
  if (DRIVER_MESSAGES.test(error.message)) return true;
  // Connecting to a name with several addresses fails with one error per address.
  return error instanceof AggregateError && error.errors.some(isDatabaseUnavailable);
}

/** The error to hand on: DATABASE_UNAVAILABLE for an outage (its cause logged here), else the error itself. */
export function outageOr(error: unknown): unknown {
  if (!isDatabaseUnavailable(error)) return error;
  console.error(`database unavailable: ${error instanceof Error ? error.message : String(error)}`);
  return databaseUnavailable();
}

/** DATABASE_UNAVAILABLE from the data layer (its cause already logged), or a driver error that bypassed it. */
export function isOutage(error: unknown): boolean {
  return (error instanceof GraphQLError && error.extensions.code === "DATABASE_UNAVAILABLE") || isDatabaseUnavailable(error);
}

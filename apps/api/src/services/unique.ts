import { badInput } from "@runboard/db";

/** Turns PostgreSQL's unique violation (23505) into BAD_USER_INPUT on the given field. */
export async function uniqueAs<T>(field: string, rule: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (typeof error === "object" && error !== null && "code" in error && error.code === "23505") {
      throw badInput(field, rule);
    }
    throw error;
  }
}

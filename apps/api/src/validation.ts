/**
 * Edge validation with zod: arguments are parsed before any service logic runs, and the
 * first problem becomes a BAD_USER_INPUT error naming the field path and the rule.
 */
import { badInput } from "@runboard/db";
import { z } from "zod";

export function parseArgs<Schema extends z.ZodType>(schema: Schema, value: unknown): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? "input" : issue.path.map(String).join(".");
  throw badInput(field, issue?.message ?? "invalid");
}

export const BLANK_KEY_RULE = "must hold more than spaces";

export const id = z.uuid({ message: "must be a UUID" });
export const name = z.string().trim().min(1, { message: "must not be empty" }).max(200, { message: "must be at most 200 characters" });
export const description = z.string().max(10_000, { message: "must be at most 10,000 characters" });
/** Metric and param keys; the rules match the compact route's (metrics/columnar.ts). */
export const key = z
  .string()
  .min(1, { message: "must not be empty" })
  .max(250, { message: "must be at most 250 characters" })
  .regex(/^[\w.\-/:@ ]+$/, { message: "may hold letters, digits, spaces and _ . - / : @ only" })
  .refine((value) => value.trim() !== "", { message: BLANK_KEY_RULE });
export const tag = z.string().trim().min(1, { message: "must not be empty" }).max(100, { message: "must be at most 100 characters" });
export const finite = z.number().refine(Number.isFinite, { message: "must be a finite number" });
export const step = z
  .number()
  .int({ message: "must be a whole number" })
  .min(0, { message: "must be ≥ 0" })
  .max(Number.MAX_SAFE_INTEGER, { message: "must be ≤ 2^53 - 1" });

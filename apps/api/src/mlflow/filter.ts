/**
 * The subset of MLflow's search syntax that runs/search and experiments/search accept:
 *   filter:   comparison (AND comparison)*
 *   comparison: identifier op value, e.g. `metrics.acc > 0.9`, `params.optimizer = 'adam'`,
 *             `tags."data set" LIKE 'pets%'`, `status = 'FINISHED'`, `run_id IN ('…', '…')`
 *   identifier: [entity.]key; entity metric(s), param(s)/parameter(s), tag(s), attribute(s)/
 *             attr/run, absent for attributes; the key bare (`train.loss`) or quoted with
 *             backticks or double quotes (`metrics."val loss"`)
 *   op:       = != > >= < <= LIKE ILIKE IN, NOT IN
 *   value:    a number, a string in single or double quotes, or a parenthesised list of strings
 *   order_by: identifier [ASC|DESC]
 * This module only parses; which entities, keys, operators and values make sense is decided
 * by the caller (runs and experiments differ). Errors name the field (`filter`, `order_by`).
 */
import { invalidField } from "./errors.ts";

export type Entity = "metric" | "param" | "tag" | "attribute";
export type Operator = "=" | "!=" | ">" | ">=" | "<" | "<=" | "LIKE" | "ILIKE" | "IN" | "NOT IN";

export interface Comparison {
  entity: Entity;
  key: string;
  op: Operator;
  value: number | string | string[];
}

export interface OrderClause {
  entity: Entity;
  key: string;
  ascending: boolean;
}

const ENTITIES: Record<string, Entity> = {
  metric: "metric",
  metrics: "metric",
  param: "param",
  params: "param",
  parameter: "param",
  parameters: "param",
  tag: "tag",
  tags: "tag",
  attribute: "attribute",
  attributes: "attribute",
  attr: "attribute",
  run: "attribute",
};

type TokenKind = "string" | "quoted" | "number" | "op" | "punct" | "word";
interface Token {
  kind: TokenKind;
  text: string;
  at: number;
}

const TOKEN =
  /\s*(?:(?<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(?<quoted>`[^`]*`)|(?<number>-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w.]))|(?<op>!=|<>|>=|<=|=|>|<)|(?<punct>[(),])|(?<word>[A-Za-z_][\w.\-/:@]*))/y;

function tokenize(text: string, field: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    if (text.slice(at).trim() === "") break;
    const match = TOKEN.exec(text);
    const groups = match?.groups;
    const kind = groups === undefined ? undefined : (Object.keys(groups) as TokenKind[]).find((name) => groups[name] !== undefined);
    if (match === null || kind === undefined || groups === undefined) {
      throw invalidField(field, `cannot read '${text.slice(at).trim().slice(0, 30)}' at character ${at + 1}`);
    }
    const tokenText = groups[kind] as string;
    // Characters count from 1, at the token itself (after the spaces the pattern skipped).
    tokens.push({ kind, text: tokenText, at: TOKEN.lastIndex - tokenText.length + 1 });
  }
  return tokens;
}

/** The text inside quotes, with backslash escapes resolved. */
function unquote(token: Token): string {
  return token.text.slice(1, -1).replace(/\\(.)/g, "$1");
}

class Reader {
  private index = 0;
  constructor(
    private readonly tokens: Token[],
    readonly field: string,
  ) {}

  peek(): Token | undefined {
    return this.tokens[this.index];
  }

  next(expected: string): Token {
    const token = this.tokens[this.index++];
    if (token === undefined) throw invalidField(this.field, `ends where ${expected} was expected`);
    return token;
  }

  /** The next token if it is this keyword (any case). */
  keyword(word: string): boolean {
    const token = this.peek();
    if (token?.kind !== "word" || token.text.toUpperCase() !== word) return false;
    this.index++;
    return true;
  }

  fail(token: Token, expected: string): never {
    throw invalidField(this.field, `expected ${expected} at character ${token.at}, found '${token.text}'`);
  }
}

function identifier(reader: Reader): { entity: Entity; key: string } {
  const token = reader.next("an identifier such as metrics.accuracy");
  if (token.kind === "quoted" || token.kind === "string") return { entity: "attribute", key: unquote(token) };
  if (token.kind !== "word") reader.fail(token, "an identifier such as metrics.accuracy");
  const dot = token.text.indexOf(".");
  if (dot < 0) return { entity: "attribute", key: token.text };
  const prefix = token.text.slice(0, dot);
  const entity = ENTITIES[prefix.toLowerCase()];
  if (entity === undefined) {
    throw invalidField(reader.field, `'${prefix}' is not an entity: use metrics., params., tags. or attributes.`);
  }
  let key = token.text.slice(dot + 1);
  if (key === "") {
    const quoted = reader.next("a key after the dot");
    if (quoted.kind !== "quoted" && quoted.kind !== "string") reader.fail(quoted, "a key after the dot");
    key = unquote(quoted);
  }
  if (key === "") throw invalidField(reader.field, `the key after '${prefix}.' must not be empty`);
  return { entity, key };
}

function operator(reader: Reader): Operator {
  const token = reader.next("a comparison operator");
  if (token.kind === "op") return token.text === "<>" ? "!=" : (token.text as Operator);
  const word = token.kind === "word" ? token.text.toUpperCase() : "";
  if (word === "LIKE" || word === "ILIKE" || word === "IN") return word;
  if (word === "NOT" && reader.keyword("IN")) return "NOT IN";
  return reader.fail(token, "one of = != > >= < <= LIKE ILIKE IN, NOT IN");
}

function stringList(reader: Reader): string[] {
  const open = reader.next("(");
  if (open.text !== "(") reader.fail(open, "a parenthesised list of strings");
  const values: string[] = [];
  for (;;) {
    const token = reader.next("a string");
    if (token.kind !== "string") reader.fail(token, "a string in quotes");
    values.push(unquote(token));
    const after = reader.next(") or ,");
    if (after.text === ")") return values;
    if (after.text !== ",") reader.fail(after, ") or ,");
  }
}

function value(reader: Reader, op: Operator): number | string | string[] {
  if (op === "IN" || op === "NOT IN") return stringList(reader);
  const token = reader.next("a value");
  if (token.kind === "number") return Number(token.text);
  if (token.kind === "string") return unquote(token);
  return reader.fail(token, "a number or a string in quotes");
}

export function parseFilter(text: string, field = "filter"): Comparison[] {
  const reader = new Reader(tokenize(text, field), field);
  const comparisons: Comparison[] = [];
  if (reader.peek() === undefined) return comparisons;
  for (;;) {
    const { entity, key } = identifier(reader);
    const op = operator(reader);
    comparisons.push({ entity, key, op, value: value(reader, op) });
    const after = reader.peek();
    if (after === undefined) return comparisons;
    if (reader.keyword("AND")) continue;
    if (after.kind === "word" && after.text.toUpperCase() === "OR") {
      throw invalidField(field, "OR is not supported: comparisons are joined with AND only");
    }
    reader.fail(after, "AND or the end of the filter");
  }
}

export function parseOrderBy(text: string, field = "order_by"): OrderClause {
  const reader = new Reader(tokenize(text, field), field);
  const { entity, key } = identifier(reader);
  let ascending = true;
  if (reader.keyword("DESC")) ascending = false;
  else reader.keyword("ASC");
  const rest = reader.peek();
  if (rest !== undefined) reader.fail(rest, "ASC, DESC or the end");
  return { entity, key, ascending };
}

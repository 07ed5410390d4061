/**
 * The runs search language (RunFilter.query): a hand-written tokenizer and recursive-descent
 * parser that turn text such as
 *
 *   accuracy > 0.9 and backbone = "mobilenet-v2-imagenet"
 *   (params.lr < 0.01 or tags.baseline) and not status = failed
 *   max(val_accuracy) >= 0.8 and created > "2026-01-01"
 *
 * into a syntax tree; run-search-sql.ts compiles the tree to SQL with every value a bind
 * parameter. Grammar (keywords in any case):
 *
 *   query      := or EOF
 *   or         := and (("or" | "||") and)*
 *   and        := not (("and" | "&&") not)*
 *   not        := ("not" | "!") not | primary
 *   primary    := "(" or ")" | field [op value]
 *   field      := name | ("last" | "min" | "max") "(" name ")"
 *   op         := "=" | "!=" | "<" | "<=" | ">" | ">=" | "~" | "!~"
 *   value      := number | "double-quoted" | 'single-quoted' | word (true and false are booleans)
 *
 * A name is letters, digits and _ . - / : @ (starting with a letter or _), or `backquoted`
 * (for keys with spaces), and may start with the prefixes params., tags. or metrics. followed
 * by a backquoted key. Errors name the 1-based position and what was expected there.
 */

export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=" | "~" | "!~";
export type Summary = "last" | "min" | "max";
export type Literal = { kind: "number"; value: number } | { kind: "string"; value: string } | { kind: "boolean"; value: boolean };

/** A field as written: `name` is the whole name (e.g. "params.lr", "accuracy"); `summary` is set for min(x)/max(x)/last(x). */
export interface FieldRef {
  name: string;
  summary?: Summary;
  position: number;
}

export type SearchNode =
  | { kind: "and"; left: SearchNode; right: SearchNode }
  | { kind: "or"; left: SearchNode; right: SearchNode }
  | { kind: "not"; operand: SearchNode }
  | { kind: "compare"; field: FieldRef; op: CompareOp; value: Literal; valuePosition: number }
  | { kind: "present"; field: FieldRef };

export const MAX_QUERY_LENGTH = 2000;
export const MAX_QUERY_DEPTH = 32;
export const MAX_QUERY_CONDITIONS = 50;

export class SearchSyntaxError extends Error {
  /** 1-based character position in the query. */
  readonly position: number;
  readonly rule: string;

  constructor(position: number, rule: string) {
    super(`at ${position}: ${rule}`);
    this.position = position;
    this.rule = rule;
  }
}

type TokenKind = "name" | "number" | "string" | "op" | "lparen" | "rparen" | "and" | "or" | "not" | "end";
interface Token {
  kind: TokenKind;
  text: string;
  /** 0-based offset in the query. */
  start: number;
  /** The name or string's unquoted text, or the number's value. */
  value?: string | number;
}

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[\w.\-/:@]/;
const PREFIXES = ["params.", "tags.", "metrics."];

function describe(token: Token): string {
  if (token.kind === "end") return "the end of the query";
  return `"${token.text}"`;
}

/** Reads `…` or "…" or '…' starting at `start` (the opening quote); backslash escapes the quote and itself. */
function readQuoted(query: string, start: number): { value: string; end: number } {
  const quote = query[start];
  let value = "";
  let i = start + 1;
  while (i < query.length) {
    const char = query[i]!;
    if (char === "\\" && (query[i + 1] === quote || query[i + 1] === "\\")) {
      value += query[i + 1];
      i += 2;
      continue;
    }
    if (char === quote) return { value, end: i + 1 };
    value += char;
    i++;
  }
  throw new SearchSyntaxError(start + 1, `expected a closing ${quote} for the text that starts here`);
}

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const char = query[i]!;
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    const start = i;
    const two = query.slice(i, i + 2);
    if (two === "&&" || two === "||") {
      tokens.push({ kind: two === "&&" ? "and" : "or", text: two, start });
      i += 2;
    } else if (two === "!=" || two === "<=" || two === ">=" || two === "!~") {
      tokens.push({ kind: "op", text: two, start });
      i += 2;
    } else if (char === "=" || char === "<" || char === ">" || char === "~") {
      // "==" is read as "="
      const text = two === "==" ? "==" : char;
      tokens.push({ kind: "op", text: text === "==" ? "=" : text, start });
      i += text.length;
    } else if (char === "!") {
      tokens.push({ kind: "not", text: "!", start });
      i++;
    } else if (char === "(" || char === ")") {
      tokens.push({ kind: char === "(" ? "lparen" : "rparen", text: char, start });
      i++;
    } else if (char === '"' || char === "'") {
      const { value, end } = readQuoted(query, i);
      tokens.push({ kind: "string", text: query.slice(start, end), start, value });
      i = end;
    } else if (char === "`") {
      const { value, end } = readQuoted(query, i);
      if (value.trim() === "") throw new SearchSyntaxError(start + 1, "expected a name between the backquotes");
      tokens.push({ kind: "name", text: query.slice(start, end), start, value });
      i = end;
    } else if (/[0-9]/.test(char) || ((char === "-" || char === "+" || char === ".") && /[0-9.]/.test(query[i + 1] ?? ""))) {
      const match = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?/i.exec(query.slice(i));
      const text = match?.[0] ?? char;
      const value = Number(text);
      if (match === null || !Number.isFinite(value)) throw new SearchSyntaxError(start + 1, `expected a number, found "${text}"`);
      if (NAME_PART.test(query[i + text.length] ?? "") && !/[.\-/:@]/.test(query[i + text.length] ?? ""))
        throw new SearchSyntaxError(
          start + 1,
          `expected a number or a name (names start with a letter or _), found "${/^[\w.\-/:@]+/.exec(query.slice(i))?.[0]}"`,
        );
      tokens.push({ kind: "number", text, start, value });
      i += text.length;
    } else if (NAME_START.test(char)) {
      let end = i + 1;
      while (end < query.length && NAME_PART.test(query[end]!)) end++;
      let text = query.slice(i, end);
      let value = text;
      // params.`key with spaces`
      if (PREFIXES.includes(text.toLowerCase()) && query[end] === "`") {
        const quoted = readQuoted(query, end);
        if (quoted.value.trim() === "") throw new SearchSyntaxError(end + 1, "expected a name between the backquotes");
        value = text + quoted.value;
        text = query.slice(i, quoted.end);
        end = quoted.end;
      }
      const lower = value.toLowerCase();
      const keyword = lower === "and" || lower === "or" || lower === "not" ? lower : undefined;
      tokens.push(keyword ? { kind: keyword, text, start } : { kind: "name", text, start, value });
      i = end;
    } else {
      throw new SearchSyntaxError(start + 1, `unexpected character "${char}"`);
    }
  }
  tokens.push({ kind: "end", text: "", start: query.length });
  return tokens;
}

const SUMMARIES: readonly string[] = ["last", "min", "max"];

class Parser {
  private index = 0;
  private conditions = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== "end") this.index++;
    return token;
  }

  private fail(expected: string, token: Token = this.peek()): never {
    throw new SearchSyntaxError(token.start + 1, `expected ${expected}, found ${describe(token)}`);
  }

  parseQuery(): SearchNode {
    if (this.peek().kind === "end") this.fail("a condition such as accuracy > 0.9");
    const node = this.parseOr(0);
    if (this.peek().kind !== "end") {
      const token = this.peek();
      if (token.kind === "rparen") this.fail('a condition before ")", or no ")" here (it closes no "(")');
      this.fail('"and", "or" or the end of the query');
    }
    return node;
  }

  private guard(depth: number): void {
    if (depth > MAX_QUERY_DEPTH) throw new SearchSyntaxError(this.peek().start + 1, `nested deeper than ${MAX_QUERY_DEPTH} levels`);
  }

  private parseOr(depth: number): SearchNode {
    this.guard(depth);
    let left = this.parseAnd(depth);
    while (this.peek().kind === "or") {
      this.next();
      left = { kind: "or", left, right: this.parseAnd(depth) };
    }
    return left;
  }

  private parseAnd(depth: number): SearchNode {
    let left = this.parseNot(depth);
    while (this.peek().kind === "and") {
      this.next();
      left = { kind: "and", left, right: this.parseNot(depth) };
    }
    return left;
  }

  private parseNot(depth: number): SearchNode {
    if (this.peek().kind === "not") {
      this.next();
      this.guard(depth + 1);
      return { kind: "not", operand: this.parseNot(depth + 1) };
    }
    return this.parsePrimary(depth);
  }

  private parsePrimary(depth: number): SearchNode {
    const token = this.peek();
    if (token.kind === "lparen") {
      this.next();
      const inner = this.parseOr(depth + 1);
      if (this.peek().kind !== "rparen") this.fail(`")" to close the "(" at ${token.start + 1}`);
      this.next();
      return inner;
    }
    if (token.kind !== "name") this.fail('a field (a metric name, params.<key>, tags.<tag>, status, name, backbone, …) or "("');
    this.conditions++;
    if (this.conditions > MAX_QUERY_CONDITIONS) throw new SearchSyntaxError(token.start + 1, `a query may hold at most ${MAX_QUERY_CONDITIONS} conditions`);
    const field = this.parseField();
    const opToken = this.peek();
    if (opToken.kind !== "op") return { kind: "present", field };
    this.next();
    const valueToken = this.next();
    return { kind: "compare", field, op: opToken.text as CompareOp, value: this.literal(valueToken, opToken), valuePosition: valueToken.start + 1 };
  }

  private parseField(): FieldRef {
    const token = this.next();
    const name = String(token.value);
    const position = token.start + 1;
    if (this.peek().kind === "lparen" && SUMMARIES.includes(name.toLowerCase()) && token.text === name) {
      this.next();
      const inner = this.next();
      if (inner.kind !== "name") this.fail(`a metric name inside ${name}( )`, inner);
      if (this.peek().kind !== "rparen") this.fail(`")" after ${name}(${inner.text}`);
      this.next();
      return { name: String(inner.value), summary: name.toLowerCase() as Summary, position };
    }
    if (this.peek().kind === "lparen") this.fail(`an operator after ${token.text} (only last( ), min( ) and max( ) take a metric name)`);
    return { name, position };
  }

  private literal(token: Token, op: Token): Literal {
    if (token.kind === "number") return { kind: "number", value: token.value as number };
    if (token.kind === "string") return { kind: "string", value: token.value as string };
    if (token.kind === "name" && token.text === token.value) {
      const lower = token.text.toLowerCase();
      if (lower === "true" || lower === "false") return { kind: "boolean", value: lower === "true" };
      return { kind: "string", value: token.text };
    }
    this.fail(`a value (a number, "text" or a word) after "${op.text}"`, token);
  }
}

export function parseSearch(query: string): SearchNode {
  if (query.length > MAX_QUERY_LENGTH) throw new SearchSyntaxError(MAX_QUERY_LENGTH + 1, `a query may hold at most ${MAX_QUERY_LENGTH} characters`);
  return new Parser(tokenize(query)).parseQuery();
}

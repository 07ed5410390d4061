/**
 * A strict parser for the data literals that minified bundles embed: JSON plus unquoted
 * keys, `!0`/`!1` booleans and numbers such as `.5`. Nothing is evaluated, so a model file
 * shipped inside a JavaScript wrapper can be read without running that JavaScript.
 */

export type JsValue = null | boolean | number | string | JsValue[] | { [key: string]: JsValue };

export class JsLiteralParser {
  private position: number;

  constructor(
    private readonly text: string,
    start = 0,
    private readonly what = "literal",
  ) {
    this.position = start;
  }

  /** Where parsing stopped (just past the last value read). */
  get end(): number {
    return this.position;
  }

  value(): JsValue {
    const c = this.text[this.position];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return this.string();
    if (c === "!") return this.negatedNumber();
    if (c !== undefined && /[-+.\d]/.test(c)) return this.number();
    const word = /^[A-Za-z_$][\w$]*/.exec(this.text.slice(this.position, this.position + 16))?.[0];
    if (word === "null" || word === "true" || word === "false") {
      this.position += word.length;
      return word === "null" ? null : word === "true";
    }
    return this.fail("a value");
  }

  expect(token: string): void {
    if (!this.text.startsWith(token, this.position)) this.fail(`'${token}'`);
    this.position += token.length;
  }

  private object(): { [key: string]: JsValue } {
    this.expect("{");
    const result: { [key: string]: JsValue } = Object.create(null) as { [key: string]: JsValue };
    if (this.text[this.position] === "}") return (this.position++, result);
    for (;;) {
      const key = this.key();
      this.expect(":");
      result[key] = this.value();
      if (this.text[this.position] === "}") return (this.position++, result);
      this.expect(",");
    }
  }

  private array(): JsValue[] {
    this.expect("[");
    const result: JsValue[] = [];
    if (this.text[this.position] === "]") return (this.position++, result);
    for (;;) {
      result.push(this.value());
      if (this.text[this.position] === "]") return (this.position++, result);
      this.expect(",");
    }
  }

  private key(): string {
    if (this.text[this.position] === '"') return this.string();
    const match = /^[A-Za-z_$][\w$]*|^\d+/.exec(this.text.slice(this.position, this.position + 256));
    if (!match) return this.fail("an object key");
    this.position += match[0].length;
    return match[0];
  }

  private string(): string {
    let close = this.position;
    for (;;) {
      close = this.text.indexOf('"', close + 1);
      if (close === -1) return this.fail("a closed string");
      let backslashes = 0;
      while (this.text[close - 1 - backslashes] === "\\") backslashes++;
      if (backslashes % 2 === 0) break;
    }
    const raw = this.text.slice(this.position + 1, close);
    if (raw.includes("\n")) return this.fail("a string on one line");
    this.position = close + 1;
    return raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
  }

  private number(): number {
    const match = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(this.text.slice(this.position, this.position + 64));
    if (!match) return this.fail("a number");
    this.position += match[0].length;
    return Number(match[0]);
  }

  /** Minifiers write true as `!0` and false as `!1`. */
  private negatedNumber(): boolean {
    this.position++;
    const digit = this.text[this.position];
    if (digit !== "0" && digit !== "1") return this.fail("!0 or !1");
    this.position++;
    return digit === "0";
  }

  private fail(expected: string): never {
    const near = this.text.slice(this.position, this.position + 40);
    throw new Error(`${this.what}: expected ${expected} at character ${this.position}, found '${near}'`);
  }
}

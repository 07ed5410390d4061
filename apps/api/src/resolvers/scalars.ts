import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from "graphql";

function invalid(what: string): GraphQLError {
  return new GraphQLError(what, { extensions: { code: "BAD_USER_INPUT" } });
}

export const DateTime = new GraphQLScalarType<Date, string>({
  name: "DateTime",
  serialize: (value) => (value instanceof Date ? value : new Date(String(value))).toISOString(),
  parseValue: (value) => {
    const date = new Date(String(value));
    if (typeof value !== "string" || Number.isNaN(date.getTime())) throw invalid("DateTime must be an ISO-8601 string");
    return date;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || Number.isNaN(new Date(ast.value).getTime())) throw invalid("DateTime must be an ISO-8601 string");
    return new Date(ast.value);
  },
});

function toLong(value: unknown): number {
  const number = typeof value === "bigint" || typeof value === "string" ? Number(value) : value;
  if (typeof number !== "number" || !Number.isSafeInteger(number)) throw invalid("Long must be a whole number within ±2^53");
  return number;
}

export const Long = new GraphQLScalarType<number, number>({
  name: "Long",
  serialize: toLong,
  parseValue: toLong,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.INT) throw invalid("Long must be a whole number within ±2^53");
    return toLong(ast.value);
  },
});

function literal(ast: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((item) => literal(item, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((field) => [field.name.value, literal(field.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
    default:
      throw invalid("JSON literal is not valid");
  }
}

export const JSONScalar = new GraphQLScalarType({
  name: "JSON",
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: literal,
});

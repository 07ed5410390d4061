/**
 * The launch form's fields from the API's SDL: each input field's name, kind, allowed enum
 * values, default and description, read from the schema so the form shows the API's defaults.
 * Nested input objects (augmentation) become dotted paths ("augmentation.flip").
 */
import {
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from "graphql";

export type FieldKind = "int" | "float" | "boolean" | "string" | "enum" | "string-list";

export interface FieldSpec {
  /** Path inside the input object: "learningRate", "augmentation.maxRotate". */
  path: string;
  kind: FieldKind;
  /** The SDL default (null where the default is null or there is none). */
  defaultValue: string | number | boolean | string[] | null;
  /** May be sent as null (nullable field). */
  nullable: boolean;
  description: string;
  /** Enum values, for kind "enum". */
  options?: string[];
  /** The SDL's description of each enum value that has one (the recipes'). */
  optionDescriptions?: Record<string, string>;
}

function scalarKind(type: GraphQLInputType): FieldKind | null {
  const list = isListType(isNonNullType(type) ? type.ofType : type);
  const named = getNamedType(type);
  if (list) return isScalarType(named) && named.name === "String" ? "string-list" : null;
  if (isEnumType(named)) return "enum";
  if (!isScalarType(named)) return null;
  const kinds: Record<string, FieldKind> = { Int: "int", Float: "float", Boolean: "boolean", String: "string" };
  return kinds[named.name] ?? null;
}

function specOf(path: string, field: GraphQLInputField, kind: FieldKind): FieldSpec {
  const named = getNamedType(field.type);
  const raw = field.defaultValue === undefined ? null : field.defaultValue;
  const spec: FieldSpec = {
    path,
    kind,
    defaultValue: raw as FieldSpec["defaultValue"],
    nullable: !isNonNullType(field.type),
    description: (field.description ?? "").replace(/\s+/g, " ").trim(),
  };
  if (isEnumType(named)) {
    const values = named.getValues();
    spec.options = values.map((value) => value.name);
    const described = values.filter((value) => value.description);
    if (described.length > 0)
      spec.optionDescriptions = Object.fromEntries(described.map((value) => [value.name, value.description!.replace(/\s+/g, " ").trim()]));
  }
  return spec;
}

/** Every scalar, enum and string-list field of an input type, nested input objects flattened. */
export function inputFieldSpecs(schema: GraphQLSchema, typeName: string, prefix = ""): FieldSpec[] {
  const type = schema.getType(typeName);
  if (!isInputObjectType(type)) throw new Error(`${typeName} is not an input type of the schema`);
  const specs: FieldSpec[] = [];
  for (const field of Object.values(type.getFields())) {
    const path = `${prefix}${field.name}`;
    const named = getNamedType(field.type);
    if (isInputObjectType(named) && !isListType(isNonNullType(field.type) ? field.type.ofType : field.type)) {
      specs.push(...inputFieldSpecs(schema, named.name, `${path}.`));
      continue;
    }
    const kind = scalarKind(field.type);
    if (kind !== null) specs.push(specOf(path, field, kind));
  }
  return specs;
}

/** The fields the launch page needs, per input type. */
export function launchFieldSpecs(schema: GraphQLSchema) {
  const pick = (typeName: string, names: string[]) => inputFieldSpecs(schema, typeName).filter((spec) => names.includes(spec.path));
  return {
    settings: inputFieldSpecs(schema, "TrainingSettingsInput"),
    run: pick("LaunchRunInput", ["priority", "maxAttempts"]),
    sweep: pick("LaunchSweepInput", ["method", "trials", "seed"]),
    kFold: pick("LaunchKFoldInput", ["folds"]),
  };
}

export type LaunchFieldSpecs = ReturnType<typeof launchFieldSpecs>;

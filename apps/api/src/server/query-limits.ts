/**
 * Depth and cost of an operation, measured before it runs, so that one too large is refused
 * before any resolver reads anything.
 *
 * Cost counts one per selected field (each alias again), and a list field multiplies its
 * children's cost by the list's expected size, read from the arguments (the operation's
 * variables and the schema's defaults applied):
 *  - metric points: metricHistory's and compareRuns' `maxPoints` sizes every `points` list below
 *    them, and `buckets` at a third of that (a bucket stands for up to three points);
 *  - compareRuns' runIds × keys sizes its `series` (and `runs`);
 *  - a page's `first` sizes the lists it pages (edges, nodes, entries); `limit` and `perClass`
 *    size their own list; any other list argument sizes by the product of its lengths;
 *  - otherwise DEFAULT_LIST_SIZE.
 * So 400 aliased `metricHistory(maxPoints: 5000) { points { step value } }` cost about
 * 400 × 10,000. Sizes are clamped to what the services accept (src/limits.ts): a larger value is
 * refused by its own rule, naming the argument, before any work, so the estimate need not count it.
 */
import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isCompositeType,
  isListType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { limits } from "../limits.ts";
import { MAX_GROUPS } from "../services/run-groups.ts";

const DEFAULT_LIST_SIZE = 10;
/** Dataset.samples lists perClass images of each of at most this many classes. */
const SAMPLE_CLASSES = 200;
const SAMPLES_PER_CLASS = 32;

export interface OperationSize {
  depth: number;
  cost: number;
}

type Args = Record<string, unknown>;

/** What a field's arguments say about the lists at and below it. */
interface ListSizes {
  /** Items of the field itself when it is a list, else of the lists directly below it (a page's edges). */
  items?: number;
  /** Points of each metric series anywhere below. */
  points?: number;
}

/** The whole number asked for, at most `maximum`; the maximum when the argument is missing. */
function upTo(value: unknown, maximum: number): number {
  return typeof value === "number" && Number.isFinite(value) ? Math.min(maximum, Math.max(1, Math.floor(value))) : maximum;
}

const length = (value: unknown): number => (Array.isArray(value) ? value.length : 0);

/** Per-field estimators, where the arguments say more than the generic rule (sizeFromArguments). */
const ESTIMATORS: Record<string, (args: Args) => ListSizes> = {
  "Query.metricHistory": (args) => ({ points: upTo(args.maxPoints, limits.maxPoints) }),
  "Query.compareRuns": (args) => {
    const runs = Math.min(limits.compareRuns, length(args.runIds));
    const series = Math.max(1, Math.min(limits.compareSeries, runs * Math.min(limits.compareKeys, length(args.keys))));
    return { items: series, points: Math.min(upTo(args.maxPoints, limits.maxPoints), Math.floor(limits.comparePoints / series)) };
  },
  "Query.runs": (args) => ({ items: upTo(args.first, limits.runsPage) }),
  "Query.runGroups": () => ({ items: MAX_GROUPS }),
  "Query.leaderboard": (args) => ({ items: upTo(args.first, limits.leaderboardEntries) }),
  "Dataset.samples": (args) => ({ items: upTo(args.perClass, SAMPLES_PER_CLASS) * SAMPLE_CLASSES }),
};

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
): OperationSize {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === "FragmentDefinition") fragments.set(definition.name.value, definition);
  }
  const root = schema.getRootType(operation.operation);
  if (root === undefined || root === null) return { depth: 0, cost: 0 };
  // The operation's own variable defaults count: `query($n: Int = 5000)` sent without $n asks for 5000.
  const walk = { schema, fragments, variables: coerceVariables(schema, operation, variables) };
  return measureSelections(walk, operation.selectionSet, root, {});
}

function measureSelections(walk: Walk, selectionSet: SelectionSetNode, parent: GraphQLCompositeType, sizes: ListSizes): OperationSize {
  let depth = 0;
  let cost = 0;
  for (const selection of selectionSet.selections) {
    let size: OperationSize;
    if (selection.kind === "Field") size = measureField(walk, selection, parent, sizes);
    else {
      const fragment = selection.kind === "FragmentSpread" ? walk.fragments.get(selection.name.value) : selection;
      const typeName = fragment?.typeCondition?.name.value;
      const type = typeName === undefined ? parent : walk.schema.getType(typeName);
      size =
        fragment !== undefined && type !== undefined && type !== null && isCompositeType(type)
          ? measureSelections(walk, fragment.selectionSet, type, sizes)
          : { depth: 0, cost: 0 };
    }
    depth = Math.max(depth, size.depth);
    cost += size.cost;
  }
  return { depth, cost };
}

function measureField(walk: Walk, field: FieldNode, parent: GraphQLCompositeType, inherited: ListSizes): OperationSize {
  if (field.name.value.startsWith("__") || !("getFields" in parent)) return { depth: 1, cost: 0 };
  const definition = parent.getFields()[field.name.value];
  if (definition === undefined) return { depth: 1, cost: 1 };
  const named = getNamedType(definition.type);
  const isList = isListType(getNullableType(definition.type));
  const args = argumentValues(walk, definition, field);
  const own = ESTIMATORS[`${parent.name}.${definition.name}`]?.(args) ?? { items: sizeFromArguments(args) };
  const points = own.points ?? inherited.points;
  // A list's own size is spent on itself; any other field's sizes the lists directly below it.
  const below: ListSizes = { ...(isList || own.items === undefined ? {} : { items: own.items }), ...(points === undefined ? {} : { points }) };
  const children =
    field.selectionSet !== undefined && isCompositeType(named) ? measureSelections(walk, field.selectionSet, named, below) : { depth: 0, cost: 0 };
  const multiplier = isList ? listSize(named.name, own.items ?? inherited.items, points) : 1;
  return { depth: 1 + children.depth, cost: 1 + multiplier * children.cost };
}

function listSize(typeName: string, items: number | undefined, points: number | undefined): number {
  if (points !== undefined && typeName === "MetricSample") return points;
  if (points !== undefined && typeName === "MetricBucket") return Math.ceil(points / 3);
  return items ?? DEFAULT_LIST_SIZE;
}

/** The generic rule: `first`, else `limit`, else the product of the list arguments' lengths. */
function sizeFromArguments(args: Args): number | undefined {
  for (const name of ["first", "limit"]) {
    const value = args[name];
    if (typeof value === "number" && Number.isFinite(value)) return Math.max(1, Math.floor(value));
  }
  let size: number | undefined;
  for (const value of Object.values(args)) {
    if (Array.isArray(value)) size = (size ?? 1) * Math.max(1, value.length);
  }
  return size;
}

/** Variables as execution will see them; as sent when they do not coerce (execution refuses those). */
function coerceVariables(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown>): Record<string, unknown> {
  try {
    return getVariableValues(schema, operation.variableDefinitions ?? [], variables).coerced ?? variables;
  } catch {
    return variables;
  }
}

/** Arguments as the resolver will see them, defaults included; none when they do not coerce (execution refuses those). */
function argumentValues(walk: Walk, definition: GraphQLField<unknown, unknown>, field: FieldNode): Args {
  try {
    return getArgumentValues(definition, field, walk.variables);
  } catch {
    return {};
  }
}

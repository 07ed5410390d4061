/**
 * Depth and cost of an operation, measured before it runs. Cost counts one per field, and a
 * list field multiplies its children's cost by the list's expected size: its `first`
 * argument, or the lengths of its id/key list arguments, or a default of 10. Lists of
 * points count once: maxPoints caps them already.
 */
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

const DEFAULT_LIST_SIZE = 10;
const BULK_TYPES = new Set(["MetricSample", "MetricBucket", "MetricPointRecord"]);

export interface OperationSize {
  depth: number;
  cost: number;
}

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
  return measureSelections({ schema, fragments, variables }, operation.selectionSet, root);
}

/** `pageSize` is a connection's `first`, passed down to the lists (edges, nodes) it sizes. */
function measureSelections(
  walk: Walk,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  pageSize?: number,
): OperationSize {
  let depth = 0;
  let cost = 0;
  for (const selection of selectionSet.selections) {
    let size: OperationSize;
    if (selection.kind === "Field") size = measureField(walk, selection, parent, pageSize);
    else if (selection.kind === "InlineFragment") {
      const typeName = selection.typeCondition?.name.value;
      const type = typeName === undefined ? parent : walk.schema.getType(typeName);
      size = type !== undefined && type !== null && isCompositeType(type) ? measureSelections(walk, selection.selectionSet, type, pageSize) : { depth: 0, cost: 0 };
    } else {
      const fragment = walk.fragments.get(selection.name.value);
      const type = fragment === undefined ? undefined : walk.schema.getType(fragment.typeCondition.name.value);
      size = fragment !== undefined && type !== undefined && type !== null && isCompositeType(type) ? measureSelections(walk, fragment.selectionSet, type, pageSize) : { depth: 0, cost: 0 };
    }
    depth = Math.max(depth, size.depth);
    cost += size.cost;
  }
  return { depth, cost };
}

function measureField(walk: Walk, field: FieldNode, parent: GraphQLCompositeType, pageSize?: number): OperationSize {
  if (field.name.value.startsWith("__") || !("getFields" in parent)) return { depth: 1, cost: 0 };
  const definition = parent.getFields()[field.name.value];
  if (definition === undefined) return { depth: 1, cost: 1 };
  const named = getNamedType(definition.type);
  const isList = isListType(getNullableType(definition.type));
  const ownSize = sizeFromArguments(walk, field);
  const children =
    field.selectionSet !== undefined && isCompositeType(named)
      ? measureSelections(walk, field.selectionSet, named, isList ? undefined : ownSize)
      : { depth: 0, cost: 0 };
  const multiplier = !isList || BULK_TYPES.has(named.name) ? 1 : (ownSize ?? pageSize ?? DEFAULT_LIST_SIZE);
  return { depth: 1 + children.depth, cost: 1 + multiplier * children.cost };
}

function sizeFromArguments(walk: Walk, field: FieldNode): number | undefined {
  let size: number | undefined;
  for (const argument of field.arguments ?? []) {
    const value = valueFromASTUntyped(argument.value, walk.variables);
    if (argument.name.value === "first" && typeof value === "number") return Math.max(1, value);
    if (Array.isArray(value)) size = (size ?? 1) * Math.max(1, value.length);
  }
  return size;
}

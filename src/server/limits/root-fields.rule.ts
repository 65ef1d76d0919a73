import { Kind, type SelectionSetNode, type ValidationContext, type ValidationRule } from "graphql";
import { LimitCode, refusal } from "./refusal.js";

/**
 * Fields at the root of each operation, aliases counted apart and fragments followed
 * (`__typename` is free). graphql-armor has no such rule; each root field is a separate
 * entry point (a listing of every project, a lookup), so their number is capped on its own.
 */
function countRootFields(
  context: ValidationContext,
  selectionSet: SelectionSetNode,
  spread: Set<string>,
): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== "__typename") count += 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countRootFields(context, selection.selectionSet, spread);
    } else if (!spread.has(selection.name.value)) {
      // A fragment spread twice merges into the same fields: count it once (and no cycle).
      spread.add(selection.name.value);
      const fragment = context.getFragment(selection.name.value);
      if (fragment) count += countRootFields(context, fragment.selectionSet, spread);
    }
  }
  return count;
}

export function maxRootFieldsRule(maxRootFields: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const rootFields = countRootFields(context, operation.selectionSet, new Set());
      if (rootFields > maxRootFields) {
        context.reportError(
          refusal(
            LimitCode.TOO_MANY_ROOT_FIELDS,
            `the operation has ${rootFields} root fields, more than the ${maxRootFields} allowed`,
            { rootFields, maxRootFields },
          ),
        );
      }
    },
  });
}

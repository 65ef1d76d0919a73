import type {
  MLModelColumn,
  MLModelParam,
  MLModelSchema,
  MLModelSignature,
  MLModelTensor,
} from "../../sources/mlmodel/types.js";
import { acceptsType } from "./accepts-type.js";
import { isNamed, kindOf, match } from "./match.js";

/**
 * Why the candidate's MLflow schema enforcement (mlflow/models/utils.py `_enforce_schema`)
 * may refuse an input the baseline's accepts; empty when it accepts every one. Each reason is
 * a sentence about "this version" (the candidate). The rule, in docs/signature-diff.md:
 * extra inputs are dropped, so removing one breaks nothing; a missing required one fails; a
 * type passes only where MLflow converts it safely (accepts-type.ts); tensors need the same
 * dtype and a shape at least as loose; params have defaults, so only a changed type or shape
 * of one both declare can refuse what a caller passes.
 */
export function inputIncompatibilities(
  baseline: MLModelSignature,
  candidate: MLModelSignature,
): string[] {
  return [
    ...schemaIncompatibilities(baseline.inputs, candidate.inputs),
    ...paramIncompatibilities(baseline.params, candidate.params),
  ];
}

function schemaIncompatibilities(
  baseline: MLModelSchema | null,
  candidate: MLModelSchema | null,
): string[] {
  // No input schema here: MLflow enforces nothing, so anything goes.
  if (!candidate) return [];
  if (!baseline) return ["the baseline declares no inputs, so it takes any; this version does"];
  const from = kindOf(baseline);
  const to = kindOf(candidate);
  if (from !== to) {
    return [`inputs are ${from?.toLowerCase()} in the baseline and ${to?.toLowerCase()} here`];
  }
  return to === "TENSORS"
    ? tensorIncompatibilities(baseline.tensors, candidate.tensors)
    : columnIncompatibilities(baseline.columns, candidate.columns);
}

const label = (name: string | null, position: number) => name ?? `#${position}`;

function namingProblem(
  kind: string,
  baseline: readonly { name: string | null }[],
  candidate: readonly { name: string | null }[],
): string | null {
  const named = isNamed(baseline);
  if (named === isNamed(candidate) || baseline.length === 0 || candidate.length === 0) return null;
  return named
    ? `the baseline names its input ${kind}s and this version does not: inputs in another order would be read in the wrong places`
    : `this version names its input ${kind}s and the baseline does not: inputs valid for the baseline need not carry those names`;
}

function columnIncompatibilities(
  baseline: readonly MLModelColumn[],
  candidate: readonly MLModelColumn[],
): string[] {
  const naming = namingProblem("column", baseline, candidate);
  if (naming) return [naming];
  const matched = match(baseline, candidate);
  const problems: string[] = [];
  if (matched.byName) {
    for (const column of matched.added.filter((c) => c.required)) {
      problems.push(`requires input column "${column.name}", which the baseline does not have`);
    }
  } else if (candidate.length > baseline.length) {
    // Unnamed columns: MLflow checks only that the input has at least as many.
    problems.push(
      `takes ${candidate.length} input columns by position, the baseline ${baseline.length}`,
    );
  }
  for (const { name, position, baseline: was, candidate: is } of matched.pairs) {
    const column = label(name, position);
    if (matched.byName && is.required && !was.required) {
      problems.push(`requires input column "${column}", which is optional in the baseline`);
    }
    if (!acceptsType(was.type, is.type)) {
      problems.push(
        `input column "${column}" is ${was.type} in the baseline and ${is.type} here: MLflow does not convert ${was.type} to ${is.type}`,
      );
    }
  }
  return problems;
}

const shapeText = (shape: readonly number[]) => `(${shape.join(", ")})`;

/** Every dimension the baseline allows, the candidate allows: equal, or -1 (any) here. */
const shapeAccepts = (was: readonly number[], is: readonly number[]) =>
  was.length === is.length && is.every((d, i) => d === -1 || d === was[i]);

function tensorIncompatibilities(
  baseline: readonly MLModelTensor[],
  candidate: readonly MLModelTensor[],
): string[] {
  const naming = namingProblem("tensor", baseline, candidate);
  if (naming) return [naming];
  const matched = match(baseline, candidate);
  const problems: string[] = matched.byName
    ? matched.added.map(
        (t) => `requires input tensor "${t.name}", which the baseline does not have`,
      )
    : [];
  // Unnamed: MLflow reads the first tensor spec only.
  const pairs = matched.byName ? matched.pairs : matched.pairs.slice(0, 1);
  for (const { name, position, baseline: was, candidate: is } of pairs) {
    const tensor = label(name, position);
    if (was.dtype !== is.dtype) {
      problems.push(
        `input tensor "${tensor}" is ${was.dtype} in the baseline and ${is.dtype} here`,
      );
    }
    if (!shapeAccepts(was.shape, is.shape)) {
      problems.push(
        `input tensor "${tensor}" has shape ${shapeText(was.shape)} in the baseline and ${shapeText(is.shape)} here`,
      );
    }
  }
  return problems;
}

function paramIncompatibilities(
  baseline: readonly MLModelParam[],
  candidate: readonly MLModelParam[],
): string[] {
  const problems: string[] = [];
  for (const { name, baseline: was, candidate: is } of match(baseline, candidate).pairs) {
    if (was.type !== is.type) {
      problems.push(`param "${name}" is ${was.type} in the baseline and ${is.type} here`);
    }
    if ((was.shape === null) !== (is.shape === null)) {
      problems.push(
        `param "${name}" is ${was.shape ? "a list" : "a scalar"} in the baseline and not here`,
      );
    }
  }
  return problems;
}

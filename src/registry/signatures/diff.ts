import type {
  MLModelColumn,
  MLModelParam,
  MLModelSchema,
  MLModelSignature,
  MLModelTensor,
} from "../../sources/mlmodel/types.js";
import { inputIncompatibilities } from "./compatibility.js";
import { type Change, kindOf, match, type SchemaKind } from "./match.js";

// What changed from a baseline's signature to a candidate's (docs/signature-diff.md).

export interface ColumnChange extends Change<MLModelColumn> {
  typeChanged: boolean;
  requiredChanged: boolean;
}

export interface TensorChange extends Change<MLModelTensor> {
  dtypeChanged: boolean;
  shapeChanged: boolean;
}

export interface SchemaDiff {
  /** null where that side declares no such schema. */
  baselineKind: SchemaKind | null;
  candidateKind: SchemaKind | null;
  /** Matched by name when both sides name every entry, else by position. */
  matchedByName: boolean;
  columnsAdded: MLModelColumn[];
  columnsRemoved: MLModelColumn[];
  columnsChanged: ColumnChange[];
  tensorsAdded: MLModelTensor[];
  tensorsRemoved: MLModelTensor[];
  tensorsChanged: TensorChange[];
  unchanged: boolean;
}

export interface ParamChange {
  name: string;
  baseline: MLModelParam;
  candidate: MLModelParam;
  typeChanged: boolean;
  defaultChanged: boolean;
  shapeChanged: boolean;
}

export interface ParamsDiff {
  added: MLModelParam[];
  removed: MLModelParam[];
  changed: ParamChange[];
  unchanged: boolean;
}

export interface SignatureDiff {
  inputs: SchemaDiff;
  outputs: SchemaDiff;
  params: ParamsDiff;
  /** Why the candidate may refuse an input the baseline accepts; empty when it accepts them all. */
  incompatibilities: string[];
  unchanged: boolean;
}

const sameShape = (a: readonly number[] | null, b: readonly number[] | null): boolean =>
  a === b || (a !== null && b !== null && a.length === b.length && a.every((d, i) => d === b[i]));

function diffSchema(baseline: MLModelSchema | null, candidate: MLModelSchema | null): SchemaDiff {
  const columns = match(baseline?.columns ?? [], candidate?.columns ?? []);
  const tensors = match(baseline?.tensors ?? [], candidate?.tensors ?? []);
  const columnsChanged = columns.pairs
    .map((p) => ({
      ...p,
      typeChanged: p.baseline.type !== p.candidate.type,
      requiredChanged: p.baseline.required !== p.candidate.required,
    }))
    .filter((c) => c.typeChanged || c.requiredChanged);
  const tensorsChanged = tensors.pairs
    .map((p) => ({
      ...p,
      dtypeChanged: p.baseline.dtype !== p.candidate.dtype,
      shapeChanged: !sameShape(p.baseline.shape, p.candidate.shape),
    }))
    .filter((t) => t.dtypeChanged || t.shapeChanged);
  const baselineKind = kindOf(baseline);
  const candidateKind = kindOf(candidate);
  const lists = [
    columns.added,
    columns.removed,
    columnsChanged,
    tensors.added,
    tensors.removed,
    tensorsChanged,
  ];
  return {
    baselineKind,
    candidateKind,
    matchedByName: candidateKind === "TENSORS" ? tensors.byName : columns.byName,
    columnsAdded: columns.added,
    columnsRemoved: columns.removed,
    columnsChanged,
    tensorsAdded: tensors.added,
    tensorsRemoved: tensors.removed,
    tensorsChanged,
    unchanged: baselineKind === candidateKind && lists.every((l) => l.length === 0),
  };
}

function diffParams(baseline: readonly MLModelParam[], candidate: readonly MLModelParam[]) {
  const matched = match(baseline, candidate);
  const changed = matched.pairs
    .map((p) => ({
      name: p.baseline.name,
      baseline: p.baseline,
      candidate: p.candidate,
      typeChanged: p.baseline.type !== p.candidate.type,
      defaultChanged: p.baseline.default !== p.candidate.default,
      shapeChanged: !sameShape(p.baseline.shape, p.candidate.shape),
    }))
    .filter((c) => c.typeChanged || c.defaultChanged || c.shapeChanged);
  return {
    added: matched.added,
    removed: matched.removed,
    changed,
    unchanged: matched.added.length + matched.removed.length + changed.length === 0,
  };
}

/** The candidate's signature against the baseline's: what changed, and what of it breaks inputs. */
export function diffSignatures(
  baseline: MLModelSignature,
  candidate: MLModelSignature,
): SignatureDiff {
  const inputs = diffSchema(baseline.inputs, candidate.inputs);
  const outputs = diffSchema(baseline.outputs, candidate.outputs);
  const params = diffParams(baseline.params, candidate.params);
  return {
    inputs,
    outputs,
    params,
    incompatibilities: inputIncompatibilities(baseline, candidate),
    unchanged: inputs.unchanged && outputs.unchanged && params.unchanged,
  };
}

import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { diffSignatures } from "../../../../src/registry/signatures/diff.js";
import type {
  MLModelColumn,
  MLModelParam,
  MLModelSignature,
  MLModelTensor,
} from "../../../../src/sources/mlmodel/types.js";

const TYPES = ["boolean", "integer", "long", "float", "double", "string", "binary", "datetime"];

const column = (name: string | null, type: string, required = true): MLModelColumn => ({
  name,
  type,
  required,
});
const tensor = (name: string | null, dtype: string, shape: number[]): MLModelTensor => ({
  name,
  dtype,
  shape,
});
const param = (name: string, type: string, dflt: string | null = null): MLModelParam => ({
  name,
  type,
  default: dflt,
  shape: null,
});
const columns = (inputs: MLModelColumn[], params: MLModelParam[] = []): MLModelSignature => ({
  inputs: { columns: inputs, tensors: [] },
  outputs: { columns: [column(null, "long")], tensors: [] },
  params,
});
const tensors = (inputs: MLModelTensor[]): MLModelSignature => ({
  inputs: { columns: [], tensors: inputs },
  outputs: null,
  params: [],
});

const arbColumns = fc.uniqueArray(
  fc.record({
    name: fc.stringMatching(/^[a-z]{1,6}$/),
    type: fc.constantFrom(...TYPES),
    required: fc.boolean(),
  }),
  { minLength: 1, maxLength: 8, selector: (c) => c.name },
);
const arbTensors = fc.uniqueArray(
  fc.record({
    name: fc.option(fc.stringMatching(/^[a-z]{1,6}$/), { nil: null }),
    dtype: fc.constantFrom("float32", "float64", "int64", "uint8"),
    shape: fc.array(fc.constantFrom(-1, 1, 3, 28), { minLength: 1, maxLength: 4 }),
  }),
  { minLength: 1, maxLength: 4, selector: (t) => t.name },
);
const arbParams = fc.uniqueArray(
  fc.record({
    name: fc.stringMatching(/^[a-z]{1,6}$/),
    type: fc.constantFrom("double", "string", "long"),
    default: fc.option(fc.constantFrom("0.5", '"fast"', "3"), { nil: null }),
    shape: fc.constant(null),
  }),
  { maxLength: 4, selector: (p) => p.name },
);
const arbSignature: fc.Arbitrary<MLModelSignature> = fc.oneof(
  fc.tuple(arbColumns, arbParams).map(([c, p]) => columns(c, p)),
  arbTensors.map(tensors),
);

describe("diffSignatures, as properties", () => {
  it("finds nothing between a signature and itself, and calls it compatible", () => {
    fc.assert(
      fc.property(arbSignature, (signature) => {
        const diff = diffSignatures(signature, structuredClone(signature));
        expect(diff.unchanged).toBe(true);
        expect(diff.incompatibilities).toEqual([]);
      }),
    );
  });

  it("lists as added one way what it lists as removed the other", () => {
    fc.assert(
      fc.property(arbSignature, arbSignature, (a, b) => {
        const there = diffSignatures(a, b);
        const back = diffSignatures(b, a);
        expect(there.inputs.columnsAdded).toEqual(back.inputs.columnsRemoved);
        expect(there.inputs.tensorsRemoved).toEqual(back.inputs.tensorsAdded);
        expect(there.params.added).toEqual(back.params.removed);
        expect(there.unchanged).toBe(back.unchanged);
      }),
    );
  });

  it("still accepts the baseline's inputs when named columns are dropped", () => {
    fc.assert(
      fc.property(arbColumns, fc.nat(), (all, cut) => {
        const kept = all.filter((_, i) => i !== cut % all.length);
        fc.pre(kept.length > 0);
        const diff = diffSignatures(columns(all), columns(kept));
        expect(diff.incompatibilities).toEqual([]);
        expect(diff.inputs.columnsRemoved).toEqual([all[cut % all.length]]);
      }),
    );
  });

  it("refuses them when a required column is added, and not when an optional one is", () => {
    fc.assert(
      fc.property(arbColumns, fc.boolean(), (all, required) => {
        const extra = column("zzzzzzz", "double", required);
        const diff = diffSignatures(columns(all), columns([...all, extra]));
        expect(diff.inputs.columnsAdded).toEqual([extra]);
        expect(diff.incompatibilities.length > 0).toBe(required);
      }),
    );
  });

  it("accepts everything once the candidate declares no inputs", () => {
    fc.assert(
      fc.property(arbSignature, (baseline) => {
        const candidate = { ...baseline, inputs: null, params: [] };
        expect(diffSignatures(baseline, candidate).incompatibilities).toEqual([]);
      }),
    );
  });
});

describe("diffSignatures on columns", () => {
  const baseline = columns([
    column("age", "integer"),
    column("income", "float"),
    column("id", "long"),
    column("note", "string", false),
  ]);

  it("takes MLflow's safe widenings and names the unsafe ones", () => {
    const widened = columns([
      column("age", "long"),
      column("income", "double"),
      column("id", "double"),
      column("note", "string", false),
    ]);
    const diff = diffSignatures(baseline, widened);
    expect(diff.inputs.columnsChanged.map((c) => [c.name, c.typeChanged])).toEqual([
      ["age", true],
      ["income", true],
      ["id", true],
    ]);
    expect(diff.incompatibilities).toEqual([
      'input column "id" is long in the baseline and double here: MLflow does not convert long to double',
    ]);
  });

  it("refuses a column made required, not one made optional", () => {
    const required = columns([...baseline.inputs!.columns.slice(0, 3), column("note", "string")]);
    const diff = diffSignatures(baseline, required);
    expect(diff.inputs.columnsChanged).toMatchObject([
      { name: "note", position: 3, typeChanged: false, requiredChanged: true },
    ]);
    expect(diff.incompatibilities).toEqual([
      'requires input column "note", which is optional in the baseline',
    ]);
    expect(diffSignatures(required, baseline).incompatibilities).toEqual([]);
  });

  it("matches unnamed columns by position and refuses more of them", () => {
    const a = columns([column(null, "integer"), column(null, "string")]);
    const b = columns([column(null, "long"), column(null, "string"), column(null, "double")]);
    const diff = diffSignatures(a, b);
    expect(diff.inputs.matchedByName).toBe(false);
    expect(diff.inputs.columnsChanged).toMatchObject([{ name: null, position: 0 }]);
    expect(diff.inputs.columnsAdded).toEqual([column(null, "double")]);
    expect(diff.incompatibilities).toEqual(["takes 3 input columns by position, the baseline 2"]);
    expect(diffSignatures(b, a).incompatibilities).toEqual([
      'input column "#0" is long in the baseline and integer here: MLflow does not convert long to integer',
    ]);
  });

  it("refuses a change between named and unnamed columns", () => {
    const unnamed = columns([column(null, "integer")]);
    const named = columns([column("age", "integer")]);
    expect(diffSignatures(named, unnamed).incompatibilities).toHaveLength(1);
    expect(diffSignatures(unnamed, named).incompatibilities).toHaveLength(1);
  });

  it("reports output changes without counting them against the inputs", () => {
    const candidate = { ...baseline, outputs: { columns: [column(null, "double")], tensors: [] } };
    const diff = diffSignatures(baseline, candidate);
    expect(diff.outputs.columnsChanged).toMatchObject([
      { position: 0, baseline: { type: "long" }, candidate: { type: "double" } },
    ]);
    expect(diff.unchanged).toBe(false);
    expect(diff.incompatibilities).toEqual([]);
  });
});

describe("diffSignatures on tensors", () => {
  const baseline = tensors([tensor("image", "float32", [-1, 28, 28])]);

  it("accepts a looser shape and refuses a tighter one or another dtype", () => {
    const looser = tensors([tensor("image", "float32", [-1, -1, 28])]);
    expect(diffSignatures(baseline, looser).incompatibilities).toEqual([]);
    expect(diffSignatures(baseline, looser).inputs.tensorsChanged).toMatchObject([
      { name: "image", dtypeChanged: false, shapeChanged: true },
    ]);
    expect(diffSignatures(looser, baseline).incompatibilities).toEqual([
      'input tensor "image" has shape (-1, -1, 28) in the baseline and (-1, 28, 28) here',
    ]);
    const other = tensors([tensor("image", "float64", [-1, 28, 28, 1])]);
    expect(diffSignatures(baseline, other).incompatibilities).toEqual([
      'input tensor "image" is float32 in the baseline and float64 here',
      'input tensor "image" has shape (-1, 28, 28) in the baseline and (-1, 28, 28, 1) here',
    ]);
  });

  it("refuses an added named tensor, since MLflow reads every one it declares", () => {
    const more = tensors([...baseline.inputs!.tensors, tensor("mask", "uint8", [-1, 28, 28])]);
    expect(diffSignatures(baseline, more).incompatibilities).toEqual([
      'requires input tensor "mask", which the baseline does not have',
    ]);
    expect(diffSignatures(more, baseline).incompatibilities).toEqual([]);
  });

  it("refuses a switch between columns and tensors", () => {
    const diff = diffSignatures(columns([column("x", "double")]), baseline);
    expect(diff.inputs).toMatchObject({ baselineKind: "COLUMNS", candidateKind: "TENSORS" });
    expect(diff.inputs.columnsRemoved).toHaveLength(1);
    expect(diff.inputs.tensorsAdded).toHaveLength(1);
    expect(diff.incompatibilities).toEqual(["inputs are columns in the baseline and tensors here"]);
  });
});

describe("diffSignatures on params", () => {
  const baseline = columns([column("x", "double")], [param("threshold", "double", "0.5")]);

  it("reports a new default and an added or removed param without refusing", () => {
    const candidate = columns(
      [column("x", "double")],
      [param("threshold", "double", "0.7"), param("mode", "string", '"fast"')],
    );
    const diff = diffSignatures(baseline, candidate);
    expect(diff.params.changed).toMatchObject([
      { name: "threshold", defaultChanged: true, typeChanged: false },
    ]);
    expect(diff.params.added).toEqual([param("mode", "string", '"fast"')]);
    expect(diff.incompatibilities).toEqual([]);
    expect(diffSignatures(candidate, baseline).incompatibilities).toEqual([]);
  });

  it("refuses a param whose type changed", () => {
    const candidate = columns([column("x", "double")], [param("threshold", "string", '"hi"')]);
    expect(diffSignatures(baseline, candidate).incompatibilities).toEqual([
      'param "threshold" is double in the baseline and string here',
    ]);
  });
});

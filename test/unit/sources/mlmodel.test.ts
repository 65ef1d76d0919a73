import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import {
  parseMLModel,
  parsePythonVersion,
  parseRequirements,
} from "../../../src/sources/mlmodel/parse.js";

// Copied as MLflow 3.17.2 wrote them: save_model for sklearn/pyfunc/tensor/unsigned, log_model
// into a sqlite store for logged. python_env.yaml lost its extension so prettier leaves it as is.
const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/mlmodel/${name}`, import.meta.url), "utf8");

describe("parseMLModel", () => {
  it("reads an sklearn model's flavors, column signature and input example", () => {
    const model = parseMLModel(fixture("sklearn.MLmodel"));

    expect(
      model.flavors.map(({ name, loaderModule, version }) => [name, loaderModule, version]),
    ).toEqual([
      ["python_function", "mlflow.sklearn", "3.11.7"],
      ["sklearn", null, "1.9.1"],
    ]);
    expect(model.flavors[1]?.config).toMatchObject({
      pickled_model: "model.skops",
      serialization_format: "skops",
    });
    expect(model.signature).toEqual({
      inputs: {
        columns: [
          { name: "sepal_length", type: "double", required: true },
          { name: "petal_count", type: "long", required: true },
        ],
        tensors: [],
      },
      outputs: { columns: [{ name: null, type: "long", required: true }], tensors: [] },
      params: [],
    });
    expect(model.inputExample).toEqual({
      artifactPath: "input_example.json",
      type: "dataframe",
      pandasOrient: "split",
      servingInputPath: "serving_input_example.json",
    });
    expect(model.mlflowVersion).toBe("3.17.2");
    expect(model.createdAt).toEqual(new Date("2026-11-26T23:24:17.238Z"));
    expect(model.modelUuid).toBe("cc99b27982a94126af0052cb55d54be5");
    expect(model.modelId).toBeNull();
    expect(model.runId).toBeNull();
    expect(model.artifactPath).toBeNull();
  });

  it("reads params with their defaults from a pyfunc signature", () => {
    const model = parseMLModel(fixture("pyfunc.MLmodel"));

    expect(model.flavors).toHaveLength(1);
    expect(model.flavors[0]).toMatchObject({
      name: "python_function",
      loaderModule: "mlflow.pyfunc.model",
      version: "3.11.7",
    });
    expect(model.signature?.inputs?.columns).toEqual([
      { name: "score", type: "double", required: true },
      { name: "label", type: "string", required: true },
    ]);
    expect(model.signature?.params).toEqual([
      { name: "threshold", type: "double", default: "0.5", shape: null },
    ]);
    expect(model.inputExample).toBeNull();
    expect(model.createdAt).toEqual(new Date("2026-11-26T23:24:18.482Z"));
  });

  it("reads a tensor signature from a numpy input example", () => {
    const model = parseMLModel(fixture("tensor.MLmodel"));
    const tensor = { name: null, dtype: "float32", shape: [-1, 3, 2] };

    expect(model.signature).toEqual({
      inputs: { columns: [], tensors: [tensor] },
      outputs: { columns: [], tensors: [tensor] },
      params: [],
    });
    expect(model.inputExample).toEqual({
      artifactPath: "input_example.json",
      type: "ndarray",
      pandasOrient: null,
      servingInputPath: "serving_input_example.json",
    });
  });

  it("reads the logged model id, run and artifact location that log_model writes", () => {
    const model = parseMLModel(fixture("logged.MLmodel"));

    expect(model.modelId).toBe("m-106591820ac44cea937cb847d57ffbf6");
    expect(model.modelUuid).toBe(model.modelId);
    expect(model.runId).toBe("c5ded5a50fe14d5eb28d21d1718e9926");
    expect(model.artifactPath).toBe(
      "/tmp/mlmodel-gen/mlruns/1/models/m-106591820ac44cea937cb847d57ffbf6/artifacts",
    );
  });

  it("returns a null signature when the model has none", () => {
    const model = parseMLModel(fixture("unsigned.MLmodel"));

    expect(model.signature).toBeNull();
    expect(model.inputExample).toBeNull();
    expect(model.mlflowVersion).toBe("3.17.2");
  });

  it("treats missing keys as absent rather than failing", () => {
    expect(parseMLModel("flavors: {}\n")).toEqual({
      flavors: [],
      signature: null,
      inputExample: null,
      mlflowVersion: null,
      createdAt: null,
      modelUuid: null,
      modelId: null,
      runId: null,
      artifactPath: null,
    });
    expect(parseMLModel("signature:\n  inputs: null\n").signature).toEqual({
      inputs: null,
      outputs: null,
      params: [],
    });
  });

  it("throws on text that is not YAML", () => {
    expect(() => parseMLModel("flavors: [unclosed\n")).toThrow(/MLmodel is not valid YAML/);
  });

  it("throws on YAML that is not a mapping", () => {
    expect(() => parseMLModel("- a\n- b\n")).toThrow(
      "expected MLmodel to be a YAML mapping, got a list",
    );
    expect(() => parseMLModel("")).toThrow("expected MLmodel to be a YAML mapping, got nothing");
  });

  it("throws when a signature part is not JSON", () => {
    expect(() => parseMLModel("signature:\n  inputs: '[{\"type\": '\n")).toThrow(
      /MLmodel signature.inputs is not valid JSON/,
    );
  });
});

describe("parseRequirements", () => {
  it("lists what MLflow wrote, its own pin first", () => {
    expect(parseRequirements(fixture("sklearn.requirements.txt"))).toEqual([
      "mlflow==3.17.2",
      "scikit-learn==1.9.1",
      "pandas",
    ]);
    expect(parseRequirements(fixture("pyfunc.requirements.txt"))).toEqual([
      "mlflow==3.17.2",
      "pandas",
      "-c constraints.txt",
    ]);
  });

  it("drops blank lines and comments and keeps -r lines", () => {
    const text =
      "# pinned\n\n  numpy==2.4.6  # fast\r\n-r base.txt\npkg @ https://x/p.zip#egg=pkg\n";

    expect(parseRequirements(text)).toEqual([
      "numpy==2.4.6",
      "-r base.txt",
      "pkg @ https://x/p.zip#egg=pkg",
    ]);
  });
});

describe("parsePythonVersion", () => {
  it("reads the python key of python_env.yaml", () => {
    expect(parsePythonVersion(fixture("tensor.python_env"))).toBe("3.11.7");
  });

  it("keeps a version that YAML would read as a number", () => {
    expect(parsePythonVersion("python: 3.10\n")).toBe("3.10");
  });

  it("returns null when the key is missing", () => {
    expect(parsePythonVersion("dependencies: []\n")).toBeNull();
  });
});

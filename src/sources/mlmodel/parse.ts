import { parse } from "yaml";
import type {
  MLModel,
  MLModelColumn,
  MLModelFlavor,
  MLModelInputExample,
  MLModelParam,
  MLModelSchema,
  MLModelSignature,
  MLModelTensor,
} from "./types.js";

type Mapping = Record<string, unknown>;

const isMapping = (value: unknown): value is Mapping =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const kindOf = (value: unknown): string =>
  value === null || value === undefined
    ? "nothing"
    : Array.isArray(value)
      ? "a list"
      : typeof value;

function parseMapping(text: string, file: string, schema: "core" | "failsafe"): Mapping {
  let value: unknown;
  try {
    value = parse(text, { schema });
  } catch (error) {
    throw new Error(`${file} is not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  if (!isMapping(value))
    throw new Error(`expected ${file} to be a YAML mapping, got ${kindOf(value)}`);
  return value;
}

// PyYAML quotes anything that would not read back as a string, but hand-edited files may not.
const text = (value: unknown): string | null =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : null;

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const shape = (value: unknown): number[] | null =>
  Array.isArray(value) ? value.filter((d): d is number => typeof d === "number") : null;

const naiveUtc = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/** `utc_time_created` is `datetime.utcnow()` printed without a zone; Date keeps milliseconds only. */
function parseUtcTime(value: unknown): Date | null {
  const match = typeof value === "string" ? naiveUtc.exec(value.trim()) : null;
  if (!match) return null;
  const [y, mo, d, h, mi, s, fraction = ""] = match.slice(1);
  const ms = Number(fraction.padEnd(3, "0").slice(0, 3));
  const date = new Date(
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms),
  );
  return Number.isNaN(date.getTime()) ? null : date;
}

// MLflow stores each part of the signature as a JSON string; tolerate nested YAML as well.
function signaturePart(signature: Mapping, key: string): unknown[] | null {
  const value = signature[key];
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") return Array.isArray(value) ? value : null;
  try {
    return list(JSON.parse(value));
  } catch (error) {
    throw new Error(`MLmodel signature.${key} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function toSchema(specs: unknown[] | null): MLModelSchema | null {
  if (!specs) return null;
  const columns: MLModelColumn[] = [];
  const tensors: MLModelTensor[] = [];
  for (const spec of specs.filter(isMapping)) {
    const tensorSpec = spec["tensor-spec"];
    if (spec.type === "tensor" && isMapping(tensorSpec)) {
      tensors.push({
        name: text(spec.name),
        dtype: text(tensorSpec.dtype) ?? "",
        shape: shape(tensorSpec.shape) ?? [],
      });
    } else {
      // ColSpec's `required` defaults to true, and files older than MLflow 2.9 omit it.
      columns.push({
        name: text(spec.name),
        type: text(spec.type) ?? "",
        required: spec.required !== false,
      });
    }
  }
  return { columns, tensors };
}

function toParam(spec: Mapping): MLModelParam {
  return {
    name: text(spec.name) ?? "",
    type: text(spec.type) ?? "",
    default:
      spec.default === undefined || spec.default === null ? null : JSON.stringify(spec.default),
    shape: shape(spec.shape),
  };
}

function toSignature(value: unknown): MLModelSignature | null {
  if (!isMapping(value)) return null;
  return {
    inputs: toSchema(signaturePart(value, "inputs")),
    outputs: toSchema(signaturePart(value, "outputs")),
    params: (signaturePart(value, "params") ?? []).filter(isMapping).map(toParam),
  };
}

function toFlavor(name: string, value: unknown): MLModelFlavor {
  const config = isMapping(value) ? value : {};
  const versionKey = name === "python_function" ? "python_version" : `${name}_version`;
  return {
    name,
    loaderModule: text(config.loader_module),
    version: text(config[versionKey]),
    config,
  };
}

function toInputExample(value: unknown): MLModelInputExample | null {
  if (!isMapping(value)) return null;
  const artifactPath = text(value.artifact_path);
  if (!artifactPath) return null;
  return {
    artifactPath,
    type: text(value.type),
    pandasOrient: text(value.pandas_orient),
    servingInputPath: text(value.serving_input_path),
  };
}

export function parseMLModel(source: string): MLModel {
  const file = parseMapping(source, "MLmodel", "core");
  const flavors = isMapping(file.flavors) ? file.flavors : {};
  return {
    flavors: Object.entries(flavors).map(([name, config]) => toFlavor(name, config)),
    signature: toSignature(file.signature),
    inputExample: toInputExample(file.saved_input_example_info),
    mlflowVersion: text(file.mlflow_version),
    createdAt: parseUtcTime(file.utc_time_created),
    modelUuid: text(file.model_uuid),
    modelId: text(file.model_id),
    runId: text(file.run_id),
    artifactPath: text(file.artifact_path),
  };
}

/** requirements.txt as pip reads it, minus comments; `-r`/`-c` lines are kept for the caller. */
export function parseRequirements(source: string): string[] {
  return source
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, "").trim())
    .filter((line) => line !== "");
}

export function parsePythonVersion(source: string): string | null {
  // failsafe keeps every scalar a string, so `python: 3.10` is not read as the number 3.1.
  const env = parseMapping(source, "python_env.yaml", "failsafe");
  return typeof env.python === "string" && env.python.trim() !== "" ? env.python.trim() : null;
}

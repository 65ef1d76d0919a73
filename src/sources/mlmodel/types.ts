// What an MLmodel file says, in camelCase (docs/mlflow-rest.md §5). Parsed from the file, not from an API.

/** One entry of a column-based schema, e.g. `{"type": "double", "name": "x", "required": true}`. */
export interface MLModelColumn {
  name: string | null;
  /** MLflow's data type: `double`, `long`, `string`…, or `array` / `object` / `map` / `any`. */
  type: string;
  required: boolean;
}

/** One entry of a tensor-based schema: `{"type": "tensor", "tensor-spec": {dtype, shape}}`. */
export interface MLModelTensor {
  name: string | null;
  dtype: string;
  /** -1 marks a variable dimension, usually the batch. */
  shape: number[];
}

export interface MLModelParam {
  name: string;
  type: string;
  /** The default as JSON text (`0.5`, `"fast"`, `[1,2]`), since its type varies. */
  default: string | null;
  shape: number[] | null;
}

/** A schema is either column-based or tensor-based, so one of the lists is empty. */
export interface MLModelSchema {
  columns: MLModelColumn[];
  tensors: MLModelTensor[];
}

export interface MLModelSignature {
  inputs: MLModelSchema | null;
  outputs: MLModelSchema | null;
  params: MLModelParam[];
}

export interface MLModelFlavor {
  name: string;
  loaderModule: string | null;
  /** The framework version the flavor records: `<flavor>_version`, or `python_version` for python_function. */
  version: string | null;
  /** The flavor's whole section as written, snake_case keys included. */
  config: Record<string, unknown>;
}

export interface MLModelInputExample {
  artifactPath: string;
  /** `dataframe`, `ndarray`, `json_object`, `sparse_matrix_csc` or `sparse_matrix_csr`. */
  type: string | null;
  pandasOrient: string | null;
  servingInputPath: string | null;
}

export interface MLModel {
  flavors: MLModelFlavor[];
  signature: MLModelSignature | null;
  inputExample: MLModelInputExample | null;
  mlflowVersion: string | null;
  createdAt: Date | null;
  /** MLflow 3's `log_model` writes the logged model id `m-…` here too. */
  modelUuid: string | null;
  /** MLflow 3 only. */
  modelId: string | null;
  runId: string | null;
  /** MLflow 3: the logged model's full artifact location; 2.x: a path relative to the run. */
  artifactPath: string | null;
}

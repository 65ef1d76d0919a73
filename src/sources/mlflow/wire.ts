// MLflow's REST shapes as the server sends them: snake_case, int64 as JSON numbers, and
// every empty field left out (MLFLOW.md §1.1), hence all optional. Never leaves sources/.

export interface WireTag {
  key?: string;
  value?: string;
}

export interface WireRegisteredModel {
  name?: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  description?: string;
  tags?: WireTag[];
  aliases?: { alias?: string; version?: string }[];
}

export interface WireError {
  error_code?: string;
  message?: string;
}

export interface WirePage {
  next_page_token?: string;
}

export interface WireSearchRegisteredModels extends WirePage {
  registered_models?: WireRegisteredModel[];
}

export interface WireGetRegisteredModel {
  registered_model?: WireRegisteredModel;
}

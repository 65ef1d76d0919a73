import type { WirePage } from "./wire.js";

/**
 * Follows MLflow's `next_page_token` to the end. An absent or empty token means the last
 * page (mlflow/mlflow#9363); the token is opaque (base64 of an offset), never parsed here.
 */
export async function* paginate<TPage extends WirePage>(
  fetchPage: (pageToken: string | undefined) => Promise<TPage>,
): AsyncGenerator<TPage> {
  let pageToken: string | undefined;
  do {
    const page = await fetchPage(pageToken);
    yield page;
    pageToken = page.next_page_token || undefined;
  } while (pageToken);
}

import { MlflowError } from "./errors.js";
import type { WirePage } from "./wire.js";

/**
 * Follows MLflow's `next_page_token` to the end. An absent or empty token means the last
 * page (mlflow/mlflow#9363); the token is opaque (base64 of an offset), never parsed here.
 * A token seen before, or more than `maxPages` pages (config `mlflow.maxPages`), is an
 * upstream error: a server that never stops paging must not hold the request in a loop.
 */
export async function* paginate<TPage extends WirePage>(
  fetchPage: (pageToken: string | undefined) => Promise<TPage>,
  limits: { project: string; maxPages: number },
): AsyncGenerator<TPage> {
  const seen = new Set<string>();
  let pageToken: string | undefined;
  do {
    if (seen.size >= limits.maxPages) {
      throw pagingError(limits.project, `more than ${limits.maxPages} pages (mlflow.maxPages)`);
    }
    const page = await fetchPage(pageToken);
    yield page;
    pageToken = page.next_page_token || undefined;
    if (pageToken !== undefined && seen.has(pageToken)) {
      throw pagingError(limits.project, "a page token it had sent before");
    }
    if (pageToken !== undefined) seen.add(pageToken);
  } while (pageToken);
}

function pagingError(project: string, what: string): MlflowError {
  return new MlflowError(
    project,
    "UPSTREAM",
    `MLflow of project "${project}" paged without end: ${what}`,
  );
}

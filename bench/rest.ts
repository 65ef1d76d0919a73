import { Agent, fetch } from "undici";

/** One MLflow server as a frontend would call it, counting every HTTP call it makes. */
export class MlflowRest {
  calls = 0;

  constructor(
    readonly project: string,
    readonly url: string,
    private readonly dispatcher?: Agent,
    /** Aborts the calls of a run a load phase gave up waiting for. */
    private readonly signal?: AbortSignal,
  ) {}

  async get<T>(path: string, params: Record<string, string> = {}): Promise<T> {
    const query = new URLSearchParams(params).toString();
    return this.send<T>(`${path}${query ? `?${query}` : ""}`, { method: "GET" });
  }

  async post<T>(path: string, body: object): Promise<T> {
    return this.send<T>(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  }

  async patch<T>(path: string, body: object): Promise<T> {
    return this.send<T>(path, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  }

  /** GET that answers null on 404 (an alias that is not set). */
  async getOrNull<T>(path: string, params: Record<string, string>): Promise<T | null> {
    try {
      return await this.get<T>(path, params);
    } catch (error) {
      if (error instanceof RestError && error.status === 404) return null;
      throw error;
    }
  }

  async text(path: string): Promise<string> {
    this.calls++;
    const response = await fetch(`${this.url}/${path}`, {
      dispatcher: this.dispatcher,
      signal: this.signal,
    });
    const body = await response.text();
    if (!response.ok) throw new RestError(this.project, path, response.status, body);
    return body;
  }

  private async send<T>(
    path: string,
    init: { method: string; headers?: Record<string, string>; body?: string },
  ): Promise<T> {
    this.calls++;
    const response = await fetch(`${this.url}/${path}`, {
      ...init,
      dispatcher: this.dispatcher,
      signal: this.signal,
    });
    const body = await response.text();
    if (!response.ok) throw new RestError(this.project, path, response.status, body);
    return JSON.parse(body) as T;
  }
}

export class RestError extends Error {
  constructor(
    readonly project: string,
    readonly path: string,
    readonly status: number,
    body: string,
  ) {
    super(`${project}: ${path.split("?")[0]} answered HTTP ${status}: ${body.slice(0, 200)}`);
    this.name = "RestError";
  }
}

/** Every page of a `next_page_token` listing. */
export async function allPages<TPage extends { next_page_token?: string }>(
  fetchPage: (token: string | undefined) => Promise<TPage>,
): Promise<TPage[]> {
  const pages: TPage[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    pages.push(page);
    token = page.next_page_token || undefined;
  } while (token);
  return pages;
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

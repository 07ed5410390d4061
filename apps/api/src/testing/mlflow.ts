/** A bare MLflow REST client for tests: the requests MLflow's Python client sends, over fetch. */

export interface MlflowResponse {
  status: number;
  body: Record<string, any>;
}

export interface MlflowTestClient {
  get(endpoint: string, query?: Record<string, string | string[]>): Promise<MlflowResponse>;
  post(endpoint: string, body?: unknown): Promise<MlflowResponse>;
  /** Any method on any path under /api/2.0/mlflow/, for the refusals. */
  raw(method: string, endpoint: string, body?: string): Promise<MlflowResponse>;
}

/** `apiUrl` is the test server's GraphQL url (the harness's `t.url`). */
export function mlflowClient(apiUrl: string, token: string | null): MlflowTestClient {
  const base = apiUrl.replace(/\/graphql$/, "/api/2.0/mlflow/");
  const headers = (): Record<string, string> => ({
    "content-type": "application/json",
    ...(token === null ? {} : { authorization: `Bearer ${token}` }),
  });
  async function send(method: string, url: string, body?: string): Promise<MlflowResponse> {
    const response = await fetch(url, { method, headers: headers(), ...(body === undefined ? {} : { body }) });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }
  return {
    get(endpoint, query = {}) {
      const search = new URLSearchParams();
      for (const [name, value] of Object.entries(query)) for (const one of [value].flat()) search.append(name, one);
      return send("GET", `${base}${endpoint}?${search}`);
    },
    post(endpoint, body = {}) {
      return send("POST", `${base}${endpoint}`, JSON.stringify(body));
    },
    raw(method, endpoint, body) {
      return send(method, `${base}${endpoint}`, body);
    },
  };
}

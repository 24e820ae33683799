// The HTTP API (docs/api.md). Errors come back as ApiError with the server's code, message
// and field, so forms can show them next to the right input.

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || "http_error";
    this.field = error.field || null;
  }
}

export function clientId() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export async function request(method, path, { token, body } = {}) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    throw new ApiError(0, { error: { code: "network", message: "the server cannot be reached" } });
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { error: { code: "bad_response", message: `unexpected answer (HTTP ${response.status})` } };
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** Calls on one run with one token. */
export class RunApi {
  constructor(runId, token) {
    this.runId = runId;
    this.token = token;
  }

  get(path = "") {
    return request("GET", `/api/runs/${this.runId}${path}`, { token: this.token });
  }

  post(path, body) {
    return request("POST", `/api/runs/${this.runId}${path}`, { token: this.token, body });
  }
}

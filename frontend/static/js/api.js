// The HTTP API (docs/api.md). Errors come back as ApiError with the server's code and field,
// and a message in the interface language where the code is known (the server's English
// message otherwise), so forms can show them next to the right input.
import { _ } from "./i18n.js";
import { statusLabel } from "./labels.js";

const WRONG_STATE = {
  lobby: () => _("Not possible yet: the exercise has not started."),
  running: () => _("Not possible while the exercise is running."),
  paused: () => _("Not possible while the exercise is paused."),
  ended: () => _("Not possible any more: the exercise has ended."),
};

const MESSAGES = {
  network: () => _("Not done: the server cannot be reached. Try again once the connection is back."),
  unauthorized: () => _("This pass or key is not valid (any more) on this server."),
  forbidden: () => _("You are not allowed to do this."),
  rate_limited: (error) => _("Too many requests at once. Try again in {seconds} s.", { seconds: error.retry_after || 60 }),
  unavailable: () => _("The server is busy for a moment. Try again."),
  internal: () => _("Something went wrong on the server; it has been logged. Try again."),
  too_large: () => _("This is too long to send."),
  hotline_busy: () => _("The hotline is busy."),
  no_call: () => _("There is no call on the hotline."),
  hotline_not_connected: () => _("The hotline is not connected: call first."),
  hotline_cut: () => _("The hotline is down."),
  hotline_not_cut: () => _("The line is not cut."),
  already_fired: () => _("This inject has already been sent."),
  last_phase: () => _("This is the last phase: end the exercise instead."),
  no_change: () => _("Nothing to change: the recommendation already has this status."),
  recommendation_merged: () => _("This recommendation was merged into another one: endorse that one instead."),
  recommendation_declined: () => _("The white cell declined this recommendation: it can no longer be endorsed."),
  client_id_reused: () => _("This was already sent as something else. Reload the page and try again."),
  wrong_state: (error) => (WRONG_STATE[error.status] || (() => _("Not possible now: the exercise is {status}.", { status: statusLabel(error.status) })))(),
};

/** The message to show for an error answer, in the interface language when it is known. */
export function errorText(status, error, path = "") {
  if (error.code === "not_found" && path.endsWith("/join")) return _("No exercise has this join code. Check it with your facilitator.");
  if (error.code === "no_change" && path.endsWith("/escalation")) return _("The escalation level would not change: it is already at that end of the ladder.");
  if (MESSAGES[error.code]) return MESSAGES[error.code](error);
  return error.message || _("The server answered HTTP {status}.", { status });
}

export class ApiError extends Error {
  constructor(status, body, path = "") {
    const error = (body && body.error) || {};
    super(errorText(status, error, path));
    this.status = status;
    this.code = error.code || "http_error";
    this.field = error.field || null;
    this.serverMessage = error.message || "";
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
  } catch {
    window.dispatchEvent(new CustomEvent("ttx:unreachable")); // the page shows it and checks its live link
    throw new ApiError(0, { error: { code: "network" } }, path);
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null; // not JSON (a proxy's page): the status says what happened
  }
  if (!response.ok) throw new ApiError(response.status, data, path);
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

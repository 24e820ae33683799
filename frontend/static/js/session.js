// What this browser remembers: the facilitator key and, per run, the token it joined with.
// Tokens arrive in the URL fragment (never sent to the server) and are moved to storage at once.

const KEY = "ttx.facilitatorKey";
const RUNS = "ttx.runs";

function runs() {
  try {
    return JSON.parse(localStorage.getItem(RUNS) || "{}");
  } catch {
    return {};
  }
}

export function saveRun(runId, entry) {
  const all = runs();
  all[runId] = { ...all[runId], ...entry, savedAt: Date.now() };
  localStorage.setItem(RUNS, JSON.stringify(all));
}

export function runEntry(runId) {
  return runs()[runId] || null;
}

export function knownRuns() {
  return Object.entries(runs())
    .map(([id, entry]) => ({ id, ...entry }))
    .sort((a, b) => (b.savedAt || 0) - (a.savedAt || 0));
}

export function forgetRun(runId) {
  const all = runs();
  delete all[runId];
  localStorage.setItem(RUNS, JSON.stringify(all));
}

export function facilitatorKey() {
  return localStorage.getItem(KEY) || "";
}

export function setFacilitatorKey(key) {
  if (key) localStorage.setItem(KEY, key);
  else localStorage.removeItem(KEY);
}

/** Take `#key=…` or `#token=…` out of the address bar and keep it. */
export function takeFragment(runId) {
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.has("key")) setFacilitatorKey(params.get("key"));
  if (params.has("token") && runId) saveRun(runId, { token: params.get("token"), team: "white_cell", role: "facilitator" });
  if (params.has("key") || params.has("token")) history.replaceState(null, "", location.pathname + location.search);
}

export function roomUrl(runId, team) {
  return team === "white_cell" ? `/runs/${runId}/console` : `/runs/${runId}/room`;
}

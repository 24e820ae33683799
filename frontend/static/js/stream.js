// The live stream (docs/api.md, "The stream"): hello with the last seq we have, then events in
// order. Reconnects with back-off after any close, a resync or a silent connection, and the
// server replays what was missed: nothing lost, nothing twice.

const BACKOFF = [500, 1000, 2000, 4000, 8000];
const SILENCE_MS = 60_000; // heartbeats come every 25 s; this long without a frame means a dead link

export class Stream {
  /**
   * @param {string} runId
   * @param {string} token
   * @param {{onWelcome?: Function, onEvent?: Function, onFrame?: Function, onStatus?: Function, onFatal?: Function}} handlers
   */
  constructor(runId, token, handlers) {
    this.runId = runId;
    this.token = token;
    this.handlers = handlers;
    this.lastSeq = 0;
    this.attempt = 0;
    this.socket = null;
    this.watchdog = null;
    this.stopped = false;
  }

  start() {
    this.connect();
    window.addEventListener("online", () => this.reconnectSoon(0));
  }

  status(value) {
    this.handlers.onStatus?.(value);
  }

  connect() {
    if (this.stopped) return;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/ws/runs/${this.runId}`);
    this.socket = socket;
    this.status(this.attempt ? "reconnecting" : "connecting");
    socket.addEventListener("open", () => {
      socket.send(JSON.stringify({ type: "hello", token: this.token, after_seq: this.lastSeq }));
    });
    socket.addEventListener("message", (message) => this.receive(socket, message.data));
    socket.addEventListener("close", (event) => {
      if (socket !== this.socket) return;
      clearTimeout(this.watchdog);
      if ([4401, 4403, 4404].includes(event.code)) {
        this.stopped = true;
        this.status("refused");
        this.handlers.onFatal?.(event.code);
        return;
      }
      this.status("reconnecting");
      this.reconnectSoon();
    });
  }

  reconnectSoon(delay) {
    if (this.stopped) return;
    const wait = delay ?? BACKOFF[Math.min(this.attempt, BACKOFF.length - 1)];
    this.attempt += 1;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => this.connect(), wait);
  }

  /** Something else failed to reach the server: test the link at once (a fresh connection
   * either comes back with a welcome or starts the reconnecting). */
  check() {
    if (this.stopped || this.socket?.readyState !== WebSocket.OPEN) return;
    this.socket.close();
  }

  armWatchdog(socket) {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => socket.close(), SILENCE_MS);
  }

  receive(socket, data) {
    this.armWatchdog(socket);
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    switch (frame.type) {
      case "welcome":
        this.attempt = 0;
        this.status("live");
        this.handlers.onWelcome?.(frame);
        break;
      case "event":
        if (frame.event.seq <= this.lastSeq) return; // already have it
        this.lastSeq = frame.event.seq;
        this.handlers.onEvent?.(frame.event);
        break;
      case "resync":
        socket.close(); // reconnect with lastSeq; the server replays the rest
        break;
      default:
        this.handlers.onFrame?.(frame);
    }
  }
}

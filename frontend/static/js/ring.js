// The hotline's ring: a telephone's double ring made with the Web Audio API (no sound file),
// off unless the player turns it on. Browsers let a page make sound only after a click or a
// key press on it, so the switch itself (or the next click after a reload) wakes the audio.
const KEY = "ttx.ringSound";
const TONES = [400, 450]; // Hz, the two tones of a British double ring
const EVERY_MS = 3000;

let audio = null;
let timer = null;

export const ringOn = () => localStorage.getItem(KEY) === "1";

function context() {
  audio ??= new AudioContext();
  if (audio.state === "suspended") audio.resume().catch(() => {});
  return audio;
}

/** One double ring: 0.4 s on, 0.2 s off, 0.4 s on. */
function burst() {
  const ctx = context();
  const t = ctx.currentTime;
  const gain = ctx.createGain();
  gain.gain.setValueAtTime(0, t);
  for (const [on, off] of [[0, 0.4], [0.6, 1.0]]) {
    gain.gain.setValueAtTime(0.12, t + on);
    gain.gain.setValueAtTime(0, t + off);
  }
  gain.connect(ctx.destination);
  for (const frequency of TONES) {
    const tone = ctx.createOscillator();
    tone.frequency.value = frequency;
    tone.connect(gain);
    tone.start(t);
    tone.stop(t + 1.05);
  }
}

/** Ring while `ringing` is true (and the switch is on); `indicator` shows that it does. */
export function ring(ringing, indicator) {
  const sound = ringing && ringOn();
  if (indicator) indicator.dataset.sound = sound ? "on" : "off";
  if (sound && !timer) {
    burst();
    timer = setInterval(burst, EVERY_MS);
  } else if (!sound && timer) {
    clearInterval(timer);
    timer = null;
  }
}

/** The switch: a checkbox remembered on this device. */
export function wireRing(checkbox, onChange) {
  checkbox.checked = ringOn();
  checkbox.addEventListener("change", () => {
    localStorage.setItem(KEY, checkbox.checked ? "1" : "0");
    if (checkbox.checked) context();
    onChange();
  });
  if (ringOn()) document.addEventListener("pointerdown", () => context(), { once: true });
}

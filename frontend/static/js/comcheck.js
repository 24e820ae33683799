// The communications check in the room's sticky strip: when one arrives it takes the keyboard
// focus (an alert dialog), and once acknowledged gives the focus back to where it was.
import { $ } from "./dom.js";

let pending = null; // the comcheck's seq
let focusBefore = null;

export function showComcheck(event, live) {
  pending = event.seq;
  $("#comcheck-text").textContent = event.payload.text;
  $("#comcheck").hidden = false;
  if (!live) return;
  focusBefore = document.activeElement;
  $("#comcheck-ack").focus({ preventScroll: true });
}

export function hideComcheck() {
  const hadFocus = $("#comcheck").contains(document.activeElement);
  $("#comcheck").hidden = true;
  if (hadFocus && focusBefore?.isConnected) focusBefore.focus({ preventScroll: true });
  focusBefore = null;
}

export function wireComcheck(page) {
  $("#comcheck-ack").addEventListener("click", async () => {
    try {
      await page.api.post("/comcheck/ack", { comcheck_seq: pending });
      hideComcheck();
    } catch (error) {
      $("#comcheck-text").textContent = error.message;
    }
  });
}

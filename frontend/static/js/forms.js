// What every form does alike: errors beside the field, a busy submit button that keeps the
// keyboard focus, drafts that survive a reload, Ctrl+Enter to send, and a form closed with
// the reason shown.
import { h } from "./dom.js";
import { _ } from "./i18n.js";

const typed = (form) => [...form.querySelectorAll("textarea, input:not([type])")].some((el) => el.value.trim());

/** Show an error from the API next to the form that caused it. */
export function formError(form, error) {
  const slot = form.querySelector(".form-error");
  form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  if (!error) {
    if (slot) slot.textContent = "";
    return;
  }
  // a form keeps what was typed until it is sent: say so when the network ate it
  const message = error.code === "network" && typed(form) ? _("Not sent: the server cannot be reached. Your text is kept: send it again once the connection is back.") : error.message;
  if (slot) slot.textContent = message;
  const field = error.field && form.querySelector(`[name="${error.field}"], [data-field="${error.field}"]`);
  if (field) field.setAttribute("aria-invalid", "true");
}

const usable = (el) => el && el.isConnected && !el.disabled && el.offsetParent !== null;

/** If the keyboard focus was on `before` and a redraw took it away (disabled or removed it,
 * which leaves the focus on the page's body and a keyboard user back at the top), move it to
 * the first usable candidate, or back to `before`. Take `before` from document.activeElement
 * before the change. */
export function refocus(before, ...candidates) {
  if (!before || before === document.body) return;
  const now = document.activeElement;
  const lost = !now || now === document.body || (now === before && !usable(before));
  if (lost) [...candidates, before].find(usable)?.focus();
}

/** Run an async form action with the button disabled and errors shown; the focus stays in
 * the form (on `after` when given, else on the button). */
export async function submitting(form, action, after = null) {
  const before = document.activeElement;
  const button = form.querySelector("button[type=submit]");
  if (button) button.disabled = true;
  try {
    const result = await action();
    formError(form, null);
    return result;
  } catch (error) {
    formError(form, error);
    return null;
  } finally {
    if (button) button.disabled = button.dataset.closed === "true"; // closed meanwhile: stays closed
    refocus(before, typeof after === "function" ? after() : after, button);
  }
}

/** Keep what is typed or chosen in `element` (a text field or a select) in this tab's storage,
 * so a reload does not lose it, until the returned `clear(sent)` after sending. With `sent`,
 * what was typed meanwhile (the next message, while this one was on its way) stays. */
export function keepDraft(element, key) {
  const saved = sessionStorage.getItem(key);
  if (saved != null) element.value = saved;
  const save = () => sessionStorage.setItem(key, element.value);
  element.addEventListener("input", save);
  element.addEventListener("change", save);
  return (sent) => {
    if (sent !== undefined && element.value.trim() !== sent) return;
    sessionStorage.removeItem(key);
    element.value = element.tagName === "SELECT" ? ([...element.options].find((o) => o.defaultSelected)?.value ?? "") : "";
  };
}

/** Ctrl+Enter (Cmd+Enter on a Mac) sends the textarea's form; Enter alone is a new line. */
export function sendOnCtrlEnter(textarea) {
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      textarea.form.requestSubmit();
    }
  });
}

/** Disable `control` for a reason of the page's own (not a request in flight): `submitting`
 * leaves it disabled when it is done. */
export function closeControl(control, closed) {
  control.disabled = Boolean(closed);
  control.dataset.closed = closed ? "true" : "";
}

/** Close a form (every control disabled) with `reason` shown in it, or open it again. */
export function closeForm(form, reason) {
  let note = form.querySelector(":scope > .closed-reason");
  if (!note && reason) {
    note = h("p", { class: "closed-reason", id: `${form.id}-closed` });
    form.prepend(note);
  }
  for (const element of form.elements) if (element.tagName !== "FIELDSET") closeControl(element, reason);
  if (note) {
    note.textContent = reason || "";
    note.hidden = !reason;
  }
}

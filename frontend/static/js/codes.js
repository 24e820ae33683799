// Handing out the join codes: the server's address as this browser reaches it, and per team
// its code, its own join link and that link's QR code (drawn by the server, app/web/qr.py),
// each with a copy button. The co-facilitator code is marked for what it is: full control.
import { $, announce, h } from "./dom.js";
import { _ } from "./i18n.js";

const LOCAL = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

export const formatCode = (code) => `${code.slice(0, 4)}-${code.slice(4)}`;
export const joinLink = (code) => `${location.origin}/join?code=${code}`;

/** Put `text` on the clipboard; http:// pages on the local network have no Clipboard API. */
async function copy(text) {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  const field = h("textarea", { class: "visually-hidden", readonly: true });
  field.value = text;
  document.body.append(field);
  field.select();
  const done = document.execCommand("copy");
  field.remove();
  if (!done) throw new Error("copy refused");
}

function copyButton(text, label, what) {
  const button = h("button", { type: "button", class: "secondary small-button", "aria-label": label }, _("Copy"));
  button.addEventListener("click", async () => {
    try {
      await copy(text);
      button.textContent = _("Copied");
      announce(_("{what} copied", { what }));
    } catch {
      button.textContent = _("Select and copy it by hand");
    }
    setTimeout(() => (button.textContent = _("Copy")), 2500);
  });
  return button;
}

function codeCard(team, code, name) {
  const link = joinLink(code);
  const full = team === "white_cell";
  return h(
    "div",
    { class: `code-card${full ? " full-control" : ""}`, dataset: { codeFor: team } },
    h("h3", { class: `team-${team}` }, name),
    full ? h("p", { class: "warning small" }, _("Gives full control of the exercise, like this console: only for co-facilitators.")) : null,
    h("p", { class: "code-line" }, h("span", { class: "code", dataset: { team } }, formatCode(code)), " ", copyButton(code, _("Copy the code for {team}", { team: name }), _("The code for {team}", { team: name }))),
    h("p", { class: "link-line small" }, h("a", { href: link, class: "join-link" }, link), " ", copyButton(link, _("Copy the join link for {team}", { team: name }), _("The join link for {team}", { team: name }))),
    full
      ? null
      : h(
          "details",
          { class: "qr" },
          h("summary", {}, _("QR code of the link")),
          h("img", { src: `/qr.svg?text=${encodeURIComponent(link)}`, alt: _("QR code of the join link for {team}", { team: name }), width: "180", height: "180", loading: "lazy" }),
        ),
  );
}

/** Draw the address and one card per code, once: they never change during a run. */
export function renderCodes(page, joinCodes) {
  const box = $("#codes");
  if (box.dataset.drawn) return;
  box.dataset.drawn = "1";
  const labels = { observers: _("Observers"), white_cell: _("Co-facilitators") };
  $("#join-address").replaceChildren(
    _("Participants open {address} and enter their team's code, or open their team's link.", { address: location.origin }),
    LOCAL.test(location.hostname) ? h("span", { class: "warning small block" }, _("This address works only on this computer. Open the console at the server's network address (printed when it started) so that the links and QR codes work for others.")) : null,
  );
  box.replaceChildren(...Object.entries(joinCodes).map(([team, code]) => codeCard(team, code, labels[team] || page.teamName(team))));
}

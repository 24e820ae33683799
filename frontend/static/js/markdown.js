// Markdown from scenarios and injects -> sanitised DOM. marked renders, DOMPurify removes
// every script, event handler, style and javascript: link before anything reaches the page.
// Media are dropped too: workshops run offline, and a remote image would be a tracking pixel.
import { marked } from "/static/vendor/marked.esm.js";
import DOMPurify from "/static/vendor/purify.es.mjs";

marked.setOptions({ gfm: true, breaks: false }); // scenario YAML wraps lines; a blank line makes a paragraph

DOMPurify.addHook("afterSanitizeAttributes", (node) => {
  if (node.tagName === "A") {
    node.setAttribute("target", "_blank");
    node.setAttribute("rel", "noopener noreferrer");
  }
});

const POLICY = {
  FORBID_TAGS: ["img", "picture", "video", "audio", "source", "style", "form", "input", "button", "textarea", "select", "iframe", "object", "embed"],
  FORBID_ATTR: ["style", "srcset"],
  ALLOW_DATA_ATTR: false,
  RETURN_DOM_FRAGMENT: true,
};

export function markdown(text) {
  const html = marked.parse(String(text ?? ""), { async: false });
  return DOMPurify.sanitize(html, POLICY);
}

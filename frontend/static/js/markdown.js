// Markdown from scenarios and injects -> sanitised DOM. Raw HTML in the markdown is shown as
// text, never parsed: even an inert parse of `<img onerror=…>` makes the browser check the
// handler against the page's CSP (and log a violation). Links go only to web, mail and local
// addresses (any other, such as javascript:, leaves its text alone). DOMPurify then removes
// every script, handler, style, SVG and MathML that could still come through. Media are
// dropped too: workshops run offline, and a remote image would be a tracking pixel.
import { marked } from "/static/vendor/marked.esm.js";
import DOMPurify from "/static/vendor/purify.es.mjs";

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const SAFE_LINK = /^(https?:|mailto:|#|\/(?!\/))/i;

marked.setOptions({ gfm: true, breaks: false }); // scenario YAML wraps lines; a blank line makes a paragraph
marked.use({
  renderer: {
    html: ({ text }) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]),
    link(token) {
      return SAFE_LINK.test(token.href.trim()) ? false : this.parser.parseInline(token.tokens);
    },
  },
});

DOMPurify.addHook("afterSanitizeAttributes", (node) => {
  if (node.tagName === "A") {
    node.setAttribute("target", "_blank");
    node.setAttribute("rel", "noopener noreferrer");
  }
});

const POLICY = {
  FORBID_TAGS: ["img", "picture", "video", "audio", "source", "style", "form", "input", "button", "textarea", "select", "iframe", "object", "embed", "svg", "math"],
  FORBID_ATTR: ["style", "srcset"],
  ALLOW_DATA_ATTR: false,
  RETURN_DOM_FRAGMENT: true,
};

/** Markdown as sanitised DOM; `inline` for a line of text (no paragraph around it). */
export function markdown(text, { inline = false } = {}) {
  const source = String(text ?? "");
  const html = inline ? marked.parseInline(source, { async: false }) : marked.parse(source, { async: false });
  return DOMPurify.sanitize(html, POLICY);
}

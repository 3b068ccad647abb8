// The message under the top bar: what went wrong (a refused request, a diverged network).

import { ApiError } from "../api/client.js";
import { t } from "../i18n/i18n.js";

export class Banner {
  /**
   * @param {HTMLElement} el the [role=alert] bar
   * @param {HTMLElement} text where the message goes
   * @param {HTMLButtonElement} close
   */
  constructor(el, text, close) {
    this.el = el;
    this.text = text;
    close.addEventListener("click", () => this.hide());
  }

  /**
   * Says what went wrong, in the reader's language around the server's own words.
   * @param {unknown} err
   */
  show(err) {
    const message = err instanceof Error ? err.message : String(err);
    const api = err instanceof ApiError ? err : null;
    const known = api ? knownErrors(api.detail) : [];
    const words = [];
    if (api && api.during) words.push(t(api.during)); // what the page was doing
    if (known.length) {
      words.push(...known, t("error.detail", { message }));
    } else {
      const key = !api ? "error.page" : api.diverged ? "error.diverged" : "error.request";
      words.push(t(key, { message }));
    }
    if (api && api.retryAfter) {
      // Said once: the server's English already names the wait ("… try again in 30 s").
      const retry = t("error.retry", { seconds: api.retryAfter });
      if (!message.toLowerCase().includes(retry.toLowerCase().replace(/\.$/, ""))) words.push(retry);
    }
    this.text.textContent = words.join(" ");
    this.el.hidden = false;
  }

  /**
   * Says something the reader should know that is no error (the page's own words).
   * @param {string} text
   */
  notice(text) {
    this.text.textContent = text;
    this.el.hidden = false;
  }

  /** Hides the message. */
  hide() {
    this.el.hidden = true;
  }
}

/** Error `type`s the page has its own words for (CONTRACTS.md); the API's text follows them. */
const KNOWN_TYPES = ["limit", "loss_mismatch"];

/**
 * The page's words for the known error items of a 422/409 `detail` list, once per type.
 * @param {unknown} detail
 * @returns {string[]}
 */
function knownErrors(detail) {
  if (!Array.isArray(detail)) return [];
  const seen = new Set();
  const out = [];
  for (const item of detail) {
    const type = item && typeof item === "object" ? item.type : null;
    if (!KNOWN_TYPES.includes(type) || seen.has(type)) continue;
    seen.add(type);
    out.push(t(`error.${type}`));
  }
  return out;
}

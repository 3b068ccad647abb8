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
    const key = !(err instanceof ApiError) ? "error.page" : err.diverged ? "error.diverged" : "error.request";
    this.text.textContent = t(key, { message });
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

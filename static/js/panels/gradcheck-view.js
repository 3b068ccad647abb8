// The gradient check: a button that asks the API to compare backprop with finite differences
// on the next batch, and the answer: the largest relative error and where it is.

import { clear, htmlEl } from "../ui/dom.js";
import { fmt, fmtFull, layerMark } from "../draw/format.js";
import { t } from "../i18n/i18n.js";

/** Below this the check counts as passed (float64 backprop agrees to ~1e-10 or better). */
export const GRADCHECK_OK = 1e-6;

export class GradcheckView {
  /**
   * @param {HTMLButtonElement} button
   * @param {HTMLElement} out where the result goes
   */
  constructor(button, out) {
    this.button = button;
    this.out = out;
    this.onRun = () => {};
    /** @type {any} */
    this.last = null;
    button.addEventListener("click", () => this.onRun());
  }

  /** @param {() => void} fn */
  bindRun(fn) {
    this.onRun = fn;
  }

  /** Shows that a check is running. */
  busy() {
    this.button.disabled = true;
    this.out.dataset.state = "busy";
    clear(this.out);
    htmlEl("p", { class: "empty", text: t("gradcheck.running") }, this.out);
  }

  /**
   * @param {{result?: any, error?: string} | null} r the API's answer, an error message, or
   *   null (nothing checked since the network changed)
   */
  render(r) {
    this.last = r;
    this.button.disabled = false;
    const out = this.out;
    clear(out);
    out.dataset.state = r ? (r.error ? "error" : "done") : "none";
    if (!r) return;
    if (r.error) {
      htmlEl("p", { class: "gc-error", text: r.error }, out);
      return;
    }
    const g = r.result;
    const w = g.worst;
    const ok = g.max_rel_error < GRADCHECK_OK;
    const big = htmlEl("p", { class: "gc-max" }, out);
    htmlEl("span", { class: "metric-label", text: t("gradcheck.max") }, big);
    htmlEl("strong", { class: "metric-value", text: fmt(g.max_rel_error, 3), "data-testid": "gradcheck-max", "data-value": g.max_rel_error }, big);
    const where = w.kind === "W" ? `W${layerMark(w.layer + 1)}[${w.index[0] + 1}, ${w.index[1] + 1}]` : `b${layerMark(w.layer + 1)}[${w.index[0] + 1}]`;
    htmlEl("p", {
      class: "gc-worst", "data-testid": "gradcheck-worst",
      text: t("gradcheck.worst", { where, analytic: fmtFull(w.analytic), numeric: fmtFull(w.numeric) }),
    }, out);
    htmlEl("p", {
      class: ok ? "verdict ok" : "verdict wrong",
      text: t(ok ? "gradcheck.ok" : "gradcheck.bad", { n: g.params.length, batch: g.batch.length }),
    }, out);
  }

  /** Relabels in the current language. */
  relabel() {
    this.render(this.last);
  }
}

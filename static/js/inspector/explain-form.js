// One more form of the inspected weight's gradient, below the inspector: a disclosure button
// (closed, nothing is asked), and once open the API's answer for the weight and step on screen,
// asked for again only when either changes, drawn by the form's own render function.

import { clear, htmlEl } from "../ui/dom.js";
import { t } from "../i18n/i18n.js";
import { watchHighlights } from "./highlight.js";

/**
 * @typedef {object} FormContext what the inspector shows
 * @property {{layer: number, i: number, j: number}} pick
 * @property {string} key names the weight, the network's parameters and the step explained
 * @property {"last" | "next"} of
 * @property {"ready" | "loading" | "pending" | "playing" | "error"} status the inspector's
 * @property {string} message what a pending or playing inspector says
 * @property {number[]} sizes
 * @property {number} row the selected batch row
 * @property {number | null} stepDW dW[i][j] of the step on screen
 */

export class ExplainForm {
  /**
   * @param {HTMLElement} section the form's place
   * @param {object} spec
   * @param {string} spec.title catalog key of the disclosure button
   * @param {string} spec.testid
   * @param {(ctx: FormContext) => string | null} spec.applies null, or why it does not apply
   *   here (a catalog key, said in the form)
   * @param {(ctx: FormContext, options: any) => Promise<any>} spec.load asks the API
   * @param {(body: HTMLElement, answer: any, ctx: FormContext) => void} spec.render
   * @param {() => any} [spec.options] what the request adds (read when asking)
   * @param {(parent: HTMLElement, changed: () => void) => void} [spec.controls] the form's own
   *   controls (shown while open, whatever the answer; `changed` asks again)
   */
  constructor(section, spec) {
    this.section = section;
    this.spec = spec;
    this.open = false;
    this.answer = null;
    this.answerKey = "";
    this.error = "";
    this.pending = "";
    /** @type {FormContext | null} */
    this.ctx = null;
    this.highlight = (_targets) => {};
    this.build();
  }

  /** @param {(targets: string | null) => void} fn a factor is pointed at (null: none) */
  bindHighlight(fn) { this.highlight = fn; }

  /** @private */
  build() {
    clear(this.section);
    this.button = htmlEl("button", {
      type: "button", class: "btn btn-small disclosure", "aria-expanded": String(this.open),
      "data-testid": `${this.spec.testid}-toggle`,
    }, this.section);
    htmlEl("span", { class: "disclosure-mark", "aria-hidden": "true" }, this.button);
    htmlEl("span", { text: t(this.spec.title) }, this.button);
    this.controls = htmlEl("div", { class: "form-controls", hidden: !this.open || !this.spec.controls }, this.section);
    if (this.spec.controls) this.spec.controls(this.controls, () => this.ctx && this.paint(this.ctx));
    this.body = htmlEl("div", { class: "form-body", "data-testid": `${this.spec.testid}-body`, hidden: !this.open }, this.section);
    this.button.setAttribute("aria-controls", this.section.id + "-body");
    this.body.id = this.section.id + "-body";
    this.button.addEventListener("click", () => {
      this.open = !this.open;
      this.button.setAttribute("aria-expanded", String(this.open));
      this.body.hidden = !this.open;
      this.controls.hidden = !this.open || !this.spec.controls;
      if (this.ctx) this.paint(this.ctx);
    });
    watchHighlights(this.body, () => this.highlight);
  }

  /** Rebuilds the labels in the current language. */
  relabel() {
    this.build();
    this.answerKey = this.answer ? this.answerKey : "";
    if (this.ctx) this.paint(this.ctx, true);
  }

  /**
   * Shows the form for what the inspector shows; asks the API when open and out of date.
   * @param {FormContext} ctx
   * @param {boolean} [force] draw again even when nothing changed
   */
  paint(ctx, force = false) {
    const before = this.ctx;
    this.ctx = ctx;
    const why = this.spec.applies(ctx);
    if (!this.open) return;
    const body = this.body;
    if (why) {
      this.say(t(why), "not-applicable");
      return;
    }
    if (ctx.status === "playing" || ctx.status === "pending") {
      this.say(ctx.message, ctx.status);
      return;
    }
    const key = this.fullKey(ctx);
    if (this.answerKey === key && this.answer) {
      if (force || !before || before.row !== ctx.row || body.dataset.status !== "ready" || before.stepDW !== ctx.stepDW) this.draw();
      return;
    }
    if (this.answerKey === key && this.error) {
      this.say(this.error, "error");
      return;
    }
    if (this.pending === key) return;
    this.say(t("insp.loading"), "loading");
    this.pending = key;
    const settle = (answer, error) => {
      if (this.pending !== key) return; // asked about something else since
      this.pending = "";
      this.answer = answer;
      this.error = error;
      this.answerKey = key;
      if (this.ctx) this.paint(this.ctx, true);
    };
    this.spec.load(ctx, this.options()).then(
      (answer) => settle(answer, ""),
      (err) => settle(null, err instanceof Error ? err.message : String(err)),
    );
  }

  /** @private What the answer depends on besides the inspector's key (a form's options). */
  fullKey(ctx) {
    return `${ctx.key}|${JSON.stringify(this.options())}`;
  }

  /** @private The form's options (the paths form's "how many paths"). */
  options() {
    return this.spec.options ? this.spec.options() : {};
  }

  /** @private */
  draw() {
    clear(this.body);
    this.body.dataset.status = "ready";
    this.spec.render(this.body, this.answer, /** @type {FormContext} */ (this.ctx));
  }

  /** @private */
  say(text, status) {
    if (this.body.dataset.status === status && this.body.textContent === text) return;
    clear(this.body);
    this.body.dataset.status = status;
    htmlEl("p", { class: "insp-message", "data-testid": `${this.spec.testid}-message`, text }, this.body);
  }
}

// The "sample k of n" picker: which row of the batch the nodes and the softmax panel show.

import { htmlEl } from "../ui/dom.js";
import { t } from "../i18n/i18n.js";

export class SamplePick {
  /** @param {HTMLElement} el */
  constructor(el) {
    this.el = el;
    this.onMove = (_d) => {};
    // Built once and updated in place, so a click never lands on a replaced button.
    this.prev = this.button("◀", "sample.prev", -1);
    this.text = htmlEl("span", { class: "sample-text", "data-testid": "sample-row" }, el);
    this.next = this.button("▶", "sample.next", 1);
    // Invisible, not gone, until a step: its place in the network's head is kept, so the
    // first step never wraps the head and pushes the layer editors down.
    el.classList.add("idle");
  }

  /** Relabels the buttons and the text in the current language. */
  relabel() {
    for (const [b, key] of [[this.prev, "sample.prev"], [this.next, "sample.next"]]) {
      b.setAttribute("aria-label", t(key));
      b.title = t(key);
    }
    this.text.textContent = "";
    if (this.last) this.render(this.last);
  }

  /** @param {(delta: number) => void} fn */
  bindMove(fn) {
    this.onMove = fn;
  }

  /**
   * @param {{row: number, n: number, trainIndex: number, label: string} | null} s
   */
  render(s) {
    this.last = s;
    this.el.classList.toggle("idle", !s);
    if (!s) return;
    const text = t("sample.of", { row: s.row + 1, n: s.n, index: s.trainIndex, y: s.label });
    if (this.text.textContent !== text) this.text.textContent = text;
    this.text.dataset.row = String(s.row);
    this.prev.disabled = s.n < 2;
    this.next.disabled = s.n < 2;
  }

  /** @private */
  button(text, labelKey, delta) {
    const b = htmlEl("button", { type: "button", class: "btn-tiny", text, "aria-label": t(labelKey), title: t(labelKey) }, this.el);
    b.addEventListener("click", () => this.onMove(delta));
    return b;
  }
}

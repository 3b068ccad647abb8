// The floating card that shows a hovered weight's or neuron's numbers.

import { clear, htmlEl } from "../ui/dom.js";

export class Tooltip {
  /** @param {HTMLElement} el */
  constructor(el) {
    this.el = el;
  }

  /**
   * @param {import("./hover-card.js").Card} card
   * @param {number} x client coordinates of the pointer
   * @param {number} y
   */
  show(card, x, y) {
    const el = this.el;
    clear(el);
    htmlEl("div", { class: "tip-title", text: card.title }, el);
    const dl = htmlEl("dl", { class: "tip-rows" }, el);
    for (const [label, value] of card.rows) {
      htmlEl("dt", { text: label }, dl);
      htmlEl("dd", { text: value }, dl);
    }
    if (card.note) htmlEl("div", { class: "tip-note", text: card.note }, el);
    el.hidden = false;
    const pad = 16;
    const { width, height } = el.getBoundingClientRect();
    const left = x + pad + width > window.innerWidth ? x - pad - width : x + pad;
    const top = Math.min(window.innerHeight - height - 4, y + pad);
    el.style.left = `${Math.max(4, left)}px`;
    el.style.top = `${Math.max(4, top)}px`;
  }

  hide() {
    this.el.hidden = true;
  }
}

// The note under the editors saying what the page changed to make a configuration fit (a
// loss, an output activation, features or a class count), in the reader's language.

import { t } from "../i18n/i18n.js";

export class Notice {
  /** @param {HTMLElement} el a [role=status] paragraph */
  constructor(el) {
    this.el = el;
    /** @type {import("../model/config.js").Note[]} */
    this.notes = [];
  }

  /** @param {import("../model/config.js").Note[]} notes none: hides the note */
  show(notes) {
    this.notes = notes;
    this.render();
  }

  /** Writes the notes again in the current language. */
  render() {
    const words = (p) => ({
      ...p,
      dataset: p.dataset ? t(`dataset.${p.dataset}`) : "",
      loss: p.loss ? t(`loss.${p.loss}`) : "",
      field: p.field ? t(p.field) : "",
    });
    this.el.textContent = this.notes.map((n) => t(n.key, words(n.params))).join(" ");
    this.el.hidden = this.notes.length === 0;
  }
}

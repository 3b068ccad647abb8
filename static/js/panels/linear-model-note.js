// Under the network, when it has no hidden layer: the lecture note's linear model, O = XW + b,
// and its count "edges = d × p = the size of W" with this network's d and p.

import { clear } from "../ui/dom.js";
import { leaf, math, mo } from "../draw/mathml.js";
import { richText } from "../ui/rich-text.js";
import { t } from "../i18n/i18n.js";

const mi = (text) => leaf("mi", text, { mathvariant: "bold" });

export class LinearModelNote {
  /** @param {HTMLElement} el the note's paragraph (hidden while there are hidden layers) */
  constructor(el) {
    this.el = el;
  }

  /** @param {{layers: number[]}} config */
  render(config) {
    const el = this.el;
    clear(el);
    const sizes = config.layers;
    el.hidden = sizes.length !== 2;
    if (el.hidden) {
      for (const name of ["data-d", "data-p", "data-edges"]) el.removeAttribute(name);
      return;
    }
    const [d, p] = sizes;
    el.setAttribute("data-d", String(d));
    el.setAttribute("data-p", String(p));
    el.setAttribute("data-edges", String(d * p));
    const formula = math([mi("O"), mo("="), mi("X"), mi("W"), mo("+"), mi("b")]);
    const size = math([leaf("mi", "d"), mo("×"), leaf("mi", "p"), mo("="), leaf("mn", String(d)), mo("×"),
      leaf("mn", String(p)), mo("="), leaf("mn", String(d * p), { "data-testid": "linear-edges" })]);
    richText(el, t("network.linear_model", { d, p }), { formula, size });
  }
}

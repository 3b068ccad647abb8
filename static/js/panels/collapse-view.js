// The linear-collapse card: when every hidden activation is linear, the network equals one
// layer o = x W_eff + b_eff (the API's `linear_collapse`), shown with its numbers and why.

import { clear, htmlEl } from "../ui/dom.js";
import { t } from "../i18n/i18n.js";
import { fitMath, keepMathFitted } from "../draw/fit-math.js";
import { layerSup, leaf, m, math, mo, num, row, script } from "../draw/mathml.js";

const MAX_SHOWN = 6; // rows and columns of W_eff written out; the rest as ⋯

const mi = (text) => leaf("mi", text);
const eff = (base) => script(mi(base), leaf("mtext", "eff"));
const W = (l) => script(mi("W"), null, layerSup(l));
const b = (l) => script(mi("b"), null, layerSup(l));

export class CollapseView {
  /** @param {HTMLElement} el the card (hidden unless the network is a linear stack) */
  constructor(el) {
    this.el = el;
    this.body = el.querySelector("[data-role=body]");
    this.last = null;
    keepMathFitted(this.body);
  }

  /**
   * @param {{W: number[][], b: number[], activation: string} | null} lc
   * @param {number} layers weight layers
   * @param {number} step the step the weights are from
   */
  render(lc, layers, step) {
    const last = this.last;
    if (last && last[0] === lc && last[1] === layers && last[2] === step) return;
    this.last = [lc, layers, step];
    this.el.hidden = !lc;
    if (!lc) return;
    const el = this.el;
    el.dataset.w = JSON.stringify(lc.W);
    el.dataset.b = JSON.stringify(lc.b);
    el.dataset.step = String(step);
    const body = this.body;
    clear(body);
    htmlEl("p", { class: "explain", text: t("collapse.what", { n: layers }) }, body);
    // One line each, so a narrow card wraps between them; a line still too wide is scaled.
    body.append(...this.formula(layers, lc.activation));
    body.append(math([eff("W"), mo("="), matrix(lc.W)], { block: true }));
    body.append(math([eff("b"), mo("="), matrix([lc.b])], { block: true }));
    htmlEl("p", { class: "explain", text: t("collapse.why") }, body);
    fitMath(body);
  }

  /** Relabels in the current language. */
  relabel() {
    const last = this.last;
    this.last = null;
    if (last) this.render(...last);
  }

  /** @private o = x W_eff + b_eff, W_eff = W(1)…W(L), b_eff = Σ_l b(l) W(l+1)…W(L): three lines. */
  formula(L, activation) {
    const ws = (from) => Array.from({ length: L - from + 1 }, (_, k) => W(from + k));
    const out = [eff("b"), mo("=")];
    if (L <= 3) {
      for (let l = 1; l <= L; l += 1) {
        if (l > 1) out.push(mo("+"));
        out.push(b(l), ...ws(l + 1));
      }
    } else {
      const l = mi("l");
      out.push(m("munderover", {}, [leaf("mo", "∑", { largeop: "true" }), row(l, mo("="), leaf("mn", "1")), mi("L")]),
        script(mi("b"), null, layerSup(l)), script(mi("W"), null, layerSup(row(mi("l"), mo("+"), leaf("mn", "1")))),
        mo("⋯"), script(mi("W"), null, layerSup(mi("L"))));
    }
    return [
      math([script(mi("h"), null, layerSup(L)), mo("="), mi(activation), mo("("), mi("x"), eff("W"), mo("+"), eff("b"), mo(")")], { block: true }),
      math([eff("W"), mo("="), ...ws(1)], { block: true }),
      math(out, { block: true }),
    ];
  }
}

/** A matrix (rows of numbers) in brackets, at most MAX_SHOWN rows and columns written out. */
function matrix(rows) {
  const shownRows = rows.slice(0, MAX_SHOWN);
  const table = m("mtable", {}, shownRows.map((r) => {
    const cells = r.slice(0, MAX_SHOWN).map((v) => m("mtd", {}, [num(v, { digits: 3 })]));
    if (r.length > MAX_SHOWN) cells.push(m("mtd", {}, [mo("⋯")]));
    return m("mtr", {}, cells);
  }));
  if (rows.length > MAX_SHOWN) table.appendChild(m("mtr", {}, [m("mtd", {}, [mo("⋮")])]));
  return row(mo("["), table, mo("]"));
}

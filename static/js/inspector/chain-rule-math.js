// The chain-rule formulas of the inspector in MathML: the general form for W(l)[i, j], the
// δ recursion and the seed's two-layer form, symbols only or with one sample's numbers.
// Every factor carries data-hl, naming the nodes and edges it lives at in the network
// drawing ("node:{column}:{j}", "edge:{layer}:{i}:{j}"), so the view can highlight them.

import { fmt } from "../draw/format.js";
import { frac, layerSup, leaf, m, math, mo, num, partial, row, script, sum } from "../draw/mathml.js";

/** @param {string} text @returns {Element} an identifier */
const mi = (text) => leaf("mi", text);

/** An identifier with index letters and a layer mark: W^{(l)}_{ij}. */
function sym(base, sub, layer = null) {
  const s = sub === null ? null : row(...sub.map((x) => (typeof x === "number" ? leaf("mn", String(x)) : mi(x))));
  return script(mi(base), s, layer === null ? null : layerSup(layer));
}

/**
 * Marks a factor as one that can be highlighted (and focused when `focusable`).
 * @param {Element} el
 * @param {string[]} targets
 * @param {boolean} [focusable]
 * @returns {Element}
 */
function factor(el, targets, focusable = false) {
  el.setAttribute("data-hl", targets.join(" "));
  el.classList.add("factor");
  if (focusable) el.setAttribute("tabindex", "0");
  return el;
}

const range = (n) => Array.from({ length: n }, (_, k) => k);

/**
 * @typedef {{l0: number, i: number, j: number, nNext: number, isOutput: boolean}} Pick
 *   l0: 0-based weight layer; nNext: neurons of the next layer (hidden weights only)
 */

/** ∂L/∂W^{(l)}_{ij} for the pick. */
function dLdW(p) {
  return partial(mi("L"), sym("W", [p.i + 1, p.j + 1], p.l0 + 1));
}

/**
 * ∂L/∂W(l)[i,j] = Σ_s h(l−1)[s,i] δ(l)[s,j]: the gradient as a sum over the batch.
 * @param {Pick} p
 * @returns {Element}
 */
export function gradientFormula(p) {
  const h = p.l0 === 0 ? sym("x", ["s", "i"]) : sym("h", ["s", "i"], p.l0);
  return math([
    dLdW(p), mo("="), sum(mi("s")),
    factor(h, [`node:${p.l0}:${p.i}`], true), mo("⋅"),
    factor(sym("δ", ["s", "j"], p.l0 + 1), [`node:${p.l0 + 1}:${p.j}`], true),
  ], { block: true });
}

/**
 * δ(l)[s,j] = σ'(z(l)[s,j]) Σ_k W(l+1)[j,k] δ(l+1)[s,k], or for the output layer ∂L/∂o.
 * @param {Pick} p
 * @returns {Element}
 */
export function deltaFormula(p) {
  const delta = sym("δ", ["s", "j"], p.l0 + 1);
  if (p.isOutput) {
    return math([delta, mo("="), factor(partial(mi("L"), sym("o", ["s", "j"])), [`node:${p.l0 + 1}:${p.j}`], true)], { block: true });
  }
  const next = range(p.nNext);
  return math([
    delta, mo("="),
    factor(row(mi("σ"), mo("′"), mo("("), sym("z", ["s", "j"], p.l0 + 1), mo(")")), [`node:${p.l0 + 1}:${p.j}`], true),
    mo("⋅"), sum(mi("k")),
    factor(sym("W", ["j", "k"], p.l0 + 2), next.map((k) => `edge:${p.l0 + 1}:${p.j}:${k}`), true),
    factor(sym("δ", ["s", "k"], p.l0 + 2), next.map((k) => `node:${p.l0 + 2}:${k}`), true),
  ], { block: true });
}

const MAX_ROWS = 16; // terms written out one per line; the rest are summed in "⋯"

/**
 * Aligned lines (an mtable): each line is [left, right] cells.
 * @param {Array<[MathChild[], MathChild[]]>} lines
 * @returns {Element}
 */
function lines(items) {
  return m("mtable", { columnalign: "right left", class: "lines", displaystyle: "true" }, items.map(([a, b]) =>
    m("mtr", {}, [m("mtd", {}, [row(...a)]), m("mtd", {}, [row(...b)])])));
}

/** Keeps the first MAX_ROWS lines and says how many more were summed. */
function capped(items, make) {
  const out = items.slice(0, MAX_ROWS).map(make);
  if (items.length > MAX_ROWS) out.push([[mo("⋯")], [leaf("mtext", `(+${items.length - MAX_ROWS})`)]]);
  return out;
}

/**
 * One sample's δ with its numbers, one line per neuron k of the next layer:
 * W[j,k] · δ[k] = product, their sum ∂L/∂h_j, then δ_j = σ'(z_j) · ∂L/∂h_j.
 * @param {Pick} p
 * @param {any} s a sample of the explanation (with sigma_prime, backprop, dh, dz)
 * @returns {Element}
 */
export function deltaNumbers(p, s) {
  const col = p.l0 + 1;
  const body = capped(s.backprop, (b) => [
    [
      factor(num(b.w, { paren: true, digits: 3 }), [`edge:${col}:${p.j}:${b.k}`]), mo("⋅"),
      factor(num(b.dz_next, { paren: true, digits: 3 }), [`node:${col + 1}:${b.k}`]),
    ],
    [mo("="), num(b.product)],
  ]);
  body.push([
    [partial(mi("L"), sym("h", [p.j + 1], col)), mo("="), sum(mi("k")), sym("W", [p.j + 1, "k"], col + 1), sym("δ", ["k"], col + 1)],
    [mo("="), num(s.dh)],
  ]);
  body.push([
    [sym("δ", [p.j + 1], col), mo("="), factor(num(s.sigma_prime), [`node:${col}:${p.j}`]), mo("⋅"), num(s.dh, { paren: true })],
    [mo("="), factor(num(s.dz, { attrs: { "data-testid": "insp-delta" } }), [`node:${col}:${p.j}`])],
  ]);
  return math([lines(body)], { block: true });
}

/**
 * The output layer's δ for softmax and cross-entropy: (p − y)/n with the sample's numbers.
 * @param {Pick} p
 * @param {{p: number, y: number, n: number, dz: number}} v
 * @returns {Element}
 */
export function softmaxDeltaNumbers(p, v) {
  const col = p.l0 + 1;
  return math([
    sym("δ", [p.j + 1], col), mo("="),
    frac(row(sym("p", [p.j + 1]), mo("−"), sym("y", [p.j + 1])), mi("n")), mo("="),
    frac(row(factor(num(v.p), [`node:${col}:${p.j}`]), mo("−"), leaf("mn", String(v.y))), leaf("mn", String(v.n))),
    mo("="), factor(num(v.dz), [`node:${col}:${p.j}`]),
  ], { block: true });
}

/**
 * The seed's form of the first layer's gradient in a two-layer network:
 * ∂L/∂W(1)[i,j] = Σ_l ∂L/∂o_l · W(2)[j,l] · σ'(z_j) · x_i.
 * @param {Pick} p
 * @param {number} nOut outputs
 * @returns {Element}
 */
export function seedFormula(p, nOut) {
  const outs = range(nOut);
  return math([
    dLdW(p), mo("="), sum(mi("l")),
    factor(partial(mi("L"), sym("o", ["l"])), outs.map((l) => `node:2:${l}`), true), mo("⋅"),
    factor(sym("W", ["j", "l"], 2), outs.map((l) => `edge:1:${p.j}:${l}`), true), mo("⋅"),
    factor(row(mi("σ"), mo("′"), mo("("), sym("z", ["j"]), mo(")")), [`node:1:${p.j}`], true), mo("⋅"),
    factor(sym("x", ["i"]), [`node:0:${p.i}`], true),
  ], { block: true });
}

/**
 * One sample's terms of the seed's form with their numbers, one line per output l, and
 * their sum.
 * @param {Pick} p
 * @param {any[]} terms the sample's seed_form entries (one per output l)
 * @returns {Element}
 */
export function seedNumbers(p, terms) {
  const body = capped(terms, (t) => [
    [
      factor(num(t.dL_do, { paren: true, digits: 3 }), [`node:2:${t.l}`]), mo("⋅"),
      factor(num(t.w2, { paren: true, digits: 3 }), [`edge:1:${p.j}:${t.l}`]), mo("⋅"),
      factor(num(t.sigma_prime, { paren: true, digits: 3 }), [`node:1:${p.j}`]), mo("⋅"),
      factor(num(t.x_i, { paren: true, digits: 3 }), [`node:0:${p.i}`]),
    ],
    [mo("="), num(t.product)],
  ]);
  const total = terms.reduce((a, t) => a + t.product, 0);
  body.push([[sum(mi("l"))], [mo("="), num(total, { attrs: { "data-testid": "seed-sample-total" } })]]);
  return math([lines(body)], { block: true });
}

/**
 * The last lines: Σ over the batch (+ λw) = the total, which is ∂L/∂w.
 * @param {Pick} p
 * @param {{data: number, l2: number, total: number}} v
 * @returns {Element}
 */
export function totalNumbers(p, v) {
  const h = p.l0 === 0 ? sym("x", ["s", "i"]) : sym("h", ["s", "i"], p.l0);
  const body = [[[sum(mi("s")), h, sym("δ", ["s", "j"], p.l0 + 1)], [mo("="), num(v.data)]]];
  if (v.l2 !== 0) body.push([[mo("+"), mi("λ"), sym("W", [p.i + 1, p.j + 1], p.l0 + 1)], [mo("="), num(v.l2)]]);
  body.push([[dLdW(p)], [mo("="), num(v.total, { digits: 6 })]]);
  return math([lines(body)], { block: true });
}

/**
 * σ' of an activation in terms of z and h, e.g. 1 − h² for tanh.
 * @param {string} act
 * @returns {Element | null}
 */
export function derivativeFormula(act) {
  const lhs = [mi("σ"), mo("′"), mo("("), mi("z"), mo(")"), mo("=")];
  const rhs = {
    sigmoid: [mi("h"), mo("("), leaf("mn", "1"), mo("−"), mi("h"), mo(")")],
    tanh: [leaf("mn", "1"), mo("−"), m("msup", {}, [mi("h"), leaf("mn", "2")])],
    relu: [leaf("mn", "1"), leaf("mtext", " (z > 0), "), leaf("mn", "0"), leaf("mtext", " (z ≤ 0)")],
    leaky_relu: [leaf("mn", "1"), leaf("mtext", " (z > 0), "), leaf("mn", fmt(0.01)), leaf("mtext", " (z ≤ 0)")],
    linear: [leaf("mn", "1")],
  }[act];
  return rhs ? math([...lhs, ...rhs]) : null;
}

/**
 * A symbol for a table header, e.g. x_2 or h^{(1)}_3, as inline MathML.
 * @param {string} base
 * @param {number | string} sub
 * @param {number | null} [layer]
 * @returns {Element}
 */
export function symbol(base, sub, layer = null) {
  return math([sym(base, [sub], layer)]);
}

// The lecture note's derivation of ∂L/∂W(1)ij for a two-layer network, step by step with the
// selected sample's numbers (the API's form=note): the chain rule over every (l, r, k); the
// three local derivatives with their Kronecker deltas; every term, those a δ makes 0 greyed;
// the terms the deltas keep (r = k = j); and over the batch, the same number as dW.

import { htmlEl } from "../ui/dom.js";
import { fmt, fmtFull } from "../draw/format.js";
import { flow, flowLines, frac, layerSup, leaf, m, math, mo, num, partial, row, script, sum } from "../draw/mathml.js";
import { t } from "../i18n/i18n.js";
import { ExplainForm } from "./explain-form.js";

const TOLERANCE = 1e-12;
const MAX_TERMS = 36; // terms listed one per row; past it the kept ones and the first zeros

/**
 * @param {HTMLElement} section
 * @param {(ctx: import("./explain-form.js").FormContext, options: any) => Promise<any>} load
 * @returns {ExplainForm}
 */
export function derivationForm(section, load) {
  return new ExplainForm(section, {
    title: "deriv.title",
    testid: "derivation",
    applies: (ctx) => (ctx.sizes.length !== 3 ? "deriv.two_layers" : ctx.pick.layer !== 0 ? "deriv.pick_w1" : null),
    load,
    render: renderDerivation,
  });
}

const mi = (text) => leaf("mi", text);
const mn = (v) => leaf("mn", String(v));
const sub = (base, ...ks) => script(mi(base), row(...ks.map((k) => (typeof k === "number" ? mn(k) : mi(k)))));
const dW1 = (i, j) => partial(mi("L"), script(mi("W"), row(mn(i), mn(j)), layerSup(1)));
const sigmaPrime = (k) => row(mi("σ"), mo("′"), mo("("), sub("z", k), mo(")"));
const kd = (a, b) => sub("δ", a, b); // a Kronecker delta

/** Marks a MathML number as a factor that points at the network. */
function at(el, targets) {
  el.setAttribute("data-hl", targets);
  el.classList.add("factor");
  return el;
}

/**
 * @param {HTMLElement} body
 * @param {any} answer the explanation with `derivation`
 * @param {import("./explain-form.js").FormContext} ctx
 */
function renderDerivation(body, answer, ctx) {
  const d = answer.derivation;
  const s = Math.min(ctx.row, d.samples.length - 1);
  const sample = d.samples[s];
  const { i, j } = sample;
  const [, hidden, outputs] = ctx.sizes;
  const steps = htmlEl("ol", { class: "deriv-steps" }, body);
  const step = (key, params = {}) => {
    const li = htmlEl("li", { class: "deriv-step" }, steps);
    htmlEl("h4", { class: "deriv-title", text: t(key, params) }, li);
    return li;
  };

  // 1. The chain rule over every output l, hidden neuron r and its z_k.
  const s1 = step("deriv.s1", { row: s + 1, index: sample.sample });
  s1.append(flow([
    dW1(i + 1, j + 1), mo("="), sum(row(mi("l"), mo(","), mi("r"), mo(","), mi("k"))),
    partial(mi("L"), sub("o", "l")), partial(sub("o", "l"), sub("h", "r")),
    partial(sub("h", "r"), sub("z", "k")), partial(sub("z", "k"), script(mi("W"), row(mn(i + 1), mn(j + 1)), layerSup(1))),
  ]));
  htmlEl("p", { class: "insp-note", text: t("deriv.count", { p: outputs, h: hidden, n: sample.terms.length }) }, s1);

  // 2. The local derivatives, with this sample's numbers.
  const s2 = step("deriv.s2");
  s2.append(flowLines([
    [partial(sub("o", "l"), sub("h", "r")), mo("="), script(mi("W"), row(mi("r"), mi("l")), layerSup(2))],
    [partial(sub("h", "r"), sub("z", "k")), mo("="), sigmaPrime("k"), kd("r", "k"),
      leaf("mtext", "\u2003"), sigmaPrime(j + 1), mo("="), at(num(sample.sigma_prime), `node:1:${j}`)],
    [partial(sub("z", "k"), script(mi("W"), row(mn(i + 1), mn(j + 1)), layerSup(1))), mo("="), sub("x", i + 1), kd(j + 1, "k"),
      leaf("mtext", "\u2003"), sub("x", i + 1), mo("="), at(num(sample.x_i), `node:0:${i}`)],
  ], { align: "start" }));
  htmlEl("p", { class: "insp-note", text: t("deriv.kronecker") }, s2);
  outputStep(s2, sample);

  // 3. Every term; a zero δ makes most of them vanish.
  const kept = sample.terms.filter((x) => x.kept).length;
  const s3 = step("deriv.s3", { n: sample.terms.length, zero: sample.terms.length - kept });
  termsTable(s3, sample.terms, j);

  // 4. What the deltas keep: r = k = j.
  const s4 = step("deriv.s4", { j: j + 1 });
  s4.append(flow([
    dW1(i + 1, j + 1), mo("="), sum(mi("l")), partial(mi("L"), sub("o", "l")),
    script(mi("W"), row(mn(j + 1), mi("l")), layerSup(2)), sigmaPrime(j + 1), sub("x", i + 1),
    leaf("mtext", "\u2003"), row(mo("("), mo("∵"), mi("r"), mo("="), mi("k"), mo("="), mi("j"), mo(")")),
  ]));
  // A column of sums: each line ends in its product, the last in their sum (wrapping when narrow).
  const keptLines = sample.kept.map((x) => [
    at(num(x.dL_do, { paren: true, digits: 3 }), `node:2:${x.l}`), mo("⋅"),
    at(num(x.do_dh, { paren: true, digits: 3 }), `edge:1:${j}:${x.l}`), mo("⋅"),
    at(num(x.dh_dz, { paren: true, digits: 3 }), `node:1:${j}`), mo("⋅"),
    at(num(x.dz_dW, { paren: true, digits: 3 }), `node:0:${i}`),
    mo("="), num(x.product),
  ]);
  keptLines.push([sum(mi("l")), mo("="), num(sample.total, { attrs: { "data-testid": "deriv-sample-total" } })]);
  s4.append(flowLines(keptLines));
  const same = close(sample.total, sample.backprop);
  htmlEl("p", {
    class: same ? "insp-check ok" : "insp-check off", "data-testid": "deriv-backprop", "data-value": sample.backprop,
    text: `${t("deriv.backprop", { v: fmtFull(sample.backprop) })} ${same ? "✓" : "✗"}`,
  }, s4);

  // 5. Over the batch: the same number as dW.
  const s5 = step("deriv.s5", { n: d.samples.length });
  const parts = d.samples.map((x) => fmt(x.total, 3)).join(" + ");
  htmlEl("p", { class: "insp-note deriv-sum", text: `Σ = ${parts} = ${fmtFull(d.data_gradient)}` }, s5);
  if (d.l2_term !== 0) htmlEl("p", { class: "insp-note", text: t("paths.l2", { v: fmtFull(d.l2_term) }) }, s5);
  const dW = ctx.stepDW ?? d.dW;
  const ok = close(d.total, dW);
  htmlEl("p", {
    class: ok ? "insp-check ok" : "insp-check off", "data-testid": "deriv-total", "data-value": d.total, "data-dw": dW,
    text: `${t("deriv.total", { total: fmtFull(d.total), dw: fmtFull(dW) })} ${ok ? "✓" : `✗ ${t("insp.check_off")}`}`,
  }, s5);
}

function close(a, b) {
  return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(b));
}

/** One aligned line of an mtable. */
function line(left, right) {
  return m("mtr", {}, [m("mtd", {}, [row(...left)]), m("mtd", {}, [row(...right)])]);
}

/**
 * ∂L/∂o_l for each output: through the softmax, Σ_k ∂L/∂p_k · p_k (δ_kl − p_l), the terms with
 * ∂L/∂p_k = 0 greyed, which for cross-entropy is (p_l − y_l)/n; else straight from the loss.
 */
function outputStep(parent, sample) {
  const box = htmlEl("div", { class: "deriv-output" }, parent);
  if (!sample.softmax) {
    const lines = sample.dL_do.map((v, l) => line([partial(mi("L"), sub("o", l + 1))], [mo("="), at(num(v), `node:2:${l}`)]));
    box.append(math([m("mtable", { columnalign: "right left" }, lines)], { block: true }));
    return;
  }
  htmlEl("p", { class: "insp-note", text: t("deriv.softmax") }, box);
  const lines = sample.softmax.map((o) => {
    const terms = o.terms.flatMap((x, k) => {
      const el = row(num(x.dL_dp, { paren: true, digits: 3 }), mo("⋅"), num(x.dp_do, { paren: true, digits: 3 }));
      if (x.vanishes) el.setAttribute("class", "vanish");
      return k ? [mo("+"), el] : [el];
    });
    const right = [mo("="), ...terms, mo("="), at(num(o.total), `node:2:${o.l}`)];
    if (o.p_minus_y !== null) right.push(mo("="), frac(row(mo("("), sub("p", o.l + 1), mo("−"), sub("y", o.l + 1), mo(")")), mi("n")));
    return [partial(mi("L"), sub("o", o.l + 1)), ...right];
  });
  box.append(flowLines(lines, { align: "start", display: false })); // wraps after an = or + when narrow
}

/** Every (l, r, k) term: its four factors and product; the vanishing ones greyed. */
function termsTable(parent, terms, j) {
  const wrap = htmlEl("div", { class: "insp-table-wrap deriv-terms-wrap", tabindex: 0 }, parent);
  const table = htmlEl("table", { class: "insp-table deriv-terms", "data-testid": "deriv-terms", "aria-label": t("deriv.table") }, wrap);
  const head = htmlEl("tr", {}, htmlEl("thead", {}, table));
  const th = (content) => htmlEl("th", { scope: "col" }, head).append(content);
  for (const c of ["l", "r", "k"]) th(c);
  th(math([partial(mi("L"), sub("o", "l"))]));
  th(math([script(mi("W"), row(mi("r"), mi("l")), layerSup(2))]));
  th(math([sigmaPrime("k"), kd("r", "k")]));
  th(math([sub("x", "i"), kd("j", "k")]));
  th(t("insp.product"));
  const body = htmlEl("tbody", {}, table);
  const shown = terms.length <= MAX_TERMS ? terms : [
    ...terms.filter((x) => x.kept), ...terms.filter((x) => !x.kept).slice(0, MAX_TERMS - terms.filter((x) => x.kept).length),
  ].sort((a, b) => a.l - b.l || a.r - b.r || a.k - b.k);
  for (const x of shown) {
    const tr = htmlEl("tr", {
      class: x.kept ? "kept" : "vanish", "data-kept": String(x.kept), "data-value": x.product,
      "data-hl": x.kept ? `node:2:${x.l} edge:1:${j}:${x.l} node:1:${j}` : "",
    }, body);
    for (const v of [x.l + 1, x.r + 1, x.k + 1]) htmlEl("td", { text: String(v) }, tr);
    for (const v of [x.dL_do, x.do_dh, x.dh_dz, x.dz_dW, x.product]) htmlEl("td", { class: "num", text: fmt(v === 0 ? 0 : v, 3) }, tr);
  }
  if (shown.length < terms.length) {
    const tr = htmlEl("tr", { class: "vanish" }, body);
    htmlEl("td", { colspan: 8, text: t("deriv.more", { n: terms.length - shown.length }) }, tr);
  }
}

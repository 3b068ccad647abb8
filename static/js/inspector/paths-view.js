// The inspected weight's gradient as the sum over paths (the API's form=paths), for any depth:
// every route from neuron j of its layer to an output, the product of the local derivatives
// along it (W's and σ′'s, 1 on a skip edge, ∂L/∂o at the end) times h_i · σ′(z_j), with the
// selected sample's numbers and the batch's sum; past the listed ones "the rest" summed; the
// total against backprop's dW, and how many multiplications each way takes.

import { htmlEl } from "../ui/dom.js";
import { fmt, fmtFull, layerMark } from "../draw/format.js";
import { flow, layerSup, leaf, m, mo, num, partial, row, script, sum } from "../draw/mathml.js";
import { t } from "../i18n/i18n.js";
import { ExplainForm } from "./explain-form.js";

const CHOICES = [8, 16, 64, 256];
const TOLERANCE = 1e-12;

/**
 * @param {HTMLElement} section
 * @param {(ctx: import("./explain-form.js").FormContext, options: any) => Promise<any>} load
 * @returns {ExplainForm}
 */
export function pathsForm(section, load) {
  let listed = CHOICES[1];
  return new ExplainForm(section, {
    title: "paths.title",
    testid: "paths",
    applies: () => null,
    options: () => ({ max_paths: listed }),
    controls: (parent, changed) => {
      const pick = htmlEl("label", { class: "insp-field paths-choice" }, parent);
      htmlEl("span", { text: t("paths.listed") }, pick);
      const select = /** @type {HTMLSelectElement} */ (htmlEl("select", { "data-testid": "paths-max" }, pick));
      for (const c of CHOICES) htmlEl("option", { value: String(c), text: String(c), selected: c === listed }, select);
      select.addEventListener("change", () => {
        listed = Number(select.value);
        changed();
      });
    },
    load,
    render: renderPaths,
  });
}

const mi = (text) => leaf("mi", text);
const idx = (...ks) => row(...ks.map((k) => leaf("mn", String(k + 1))));

/** A factor's symbol, e.g. W⁽²⁾₁₃ or σ′(z⁽¹⁾₂), from the API's {kind, layer, index}. */
function factorSymbol(f) {
  const [a, b] = f.index;
  if (f.kind === "h_in") return f.layer === 0 ? script(mi("x"), idx(a)) : script(mi("h"), idx(a), layerSup(f.layer));
  if (f.kind === "W") return script(mi("W"), idx(a, b), layerSup(f.layer + 1));
  if (f.kind === "sigma_prime") return row(mi("σ"), mo("′"), mo("("), script(mi("z"), idx(a), layerSup(f.layer + 1)), mo(")"));
  if (f.kind === "dL_do") return partial(mi("L"), script(mi("o"), idx(a)));
  return leaf("mn", "1"); // a skip edge
}

/** Where a factor lives in the network drawing (see chain-rule-math.js's data-hl). */
function factorTargets(f) {
  const [a, b] = f.index;
  if (f.kind === "h_in") return `node:${f.layer}:${a}`;
  if (f.kind === "W") return `edge:${f.layer}:${a}:${b}`;
  if (f.kind === "skip") return `node:${f.layer}:${a} node:${f.layer + 1}:${a}`;
  return `node:${f.layer + 1}:${a}`;
}

/**
 * The route a path takes: from input i through j, then one neuron per layer (⤳ along a skip
 * edge), an output last.
 */
function route(path, l0, i) {
  const from = l0 === 0 ? `x${i + 1}` : `h${layerMark(l0)}${i + 1}`;
  return `${from} → ` + path.neurons.map((n, k) => {
    const column = l0 + 1 + k;
    const last = k === path.neurons.length - 1;
    const name = last ? `o${n + 1}` : `h${layerMark(column)}${n + 1}`;
    return k === 0 ? name : `${path.skips[k - 1] ? "⤳" : "→"} ${name}`;
  }).join(" ");
}

/**
 * @param {HTMLElement} body
 * @param {any} answer the explanation with `paths`
 * @param {import("./explain-form.js").FormContext} ctx
 */
function renderPaths(body, answer, ctx) {
  const p = answer.paths;
  const l0 = answer.layer;
  const n = answer.batch.length;
  const s = Math.min(ctx.row, n - 1);
  htmlEl("p", { class: "insp-note", text: t("paths.intro") }, body);

  const listed = p.paths.length;
  htmlEl("p", {
    class: "insp-note", "data-testid": "paths-count", "data-count": p.count.exact, "data-listed": listed,
    text: t(listed < Number(p.count.value) ? "paths.count_some" : "paths.count_all", {
      count: p.count.exact, listed, sample: s + 1, index: answer.samples[s].sample,
    }),
  }, body);

  body.append(generalFormula(answer, l0, ctx.sizes.length - 2));

  const list = htmlEl("ol", { class: "paths-list", "data-testid": "paths-list", tabindex: 0, "aria-label": t("paths.list") }, body);
  for (const path of p.paths) {
    // Pointing at (or tabbing to) a path lights up its whole route in the network.
    const item = htmlEl("li", {
      class: "path", tabindex: 0, "data-value": path.value, "data-sample-value": path.samples[s],
      "data-hl": path.factors.map(factorTargets).join(" "),
    }, list);
    const head = htmlEl("div", { class: "path-route" }, item);
    htmlEl("span", { text: route(path, l0, answer.i) }, head);
    htmlEl("span", { class: "path-sum", text: `Σₛ = ${fmt(path.value, 4)}` }, head);
    const factors = [];
    for (const f of path.factors) {
      const v = f.value ?? f.samples[s];
      const el = num(v, { paren: true, digits: 3 });
      el.setAttribute("data-hl", factorTargets(f));
      el.classList.add("factor");
      if (factors.length) factors.push(mo("⋅"));
      factors.push(f.kind === "skip" ? script(el, leaf("mtext", t("paths.skip"))) : el);
    }
    item.append(flow([...factors, mo("="), num(path.samples[s], { digits: 3 })]));
    item.title = path.factors.map((f) => symbolText(f)).join(" · ");
  }
  // The symbols of one path's factors, in order, so the numbers can be read.
  if (p.paths.length) {
    const legend = htmlEl("div", { class: "insp-note paths-symbols" }, body);
    legend.append(t("paths.symbols"), " ");
    legend.append(flow(p.paths[0].factors.flatMap((f, k) => (k ? [mo("⋅"), factorSymbol(f)] : [factorSymbol(f)])), { display: false }));
  }

  const listedSum = p.paths.reduce((acc, path) => acc + path.value, 0);
  const lines = htmlEl("div", { class: "paths-sums" }, body);
  htmlEl("p", { text: t("paths.listed_sum", { listed, sum: fmtFull(listedSum) }), "data-testid": "paths-listed-sum", "data-value": listedSum }, lines);
  htmlEl("p", {
    "data-testid": "paths-rest", "data-value": p.rest, "data-count": p.rest_count.exact,
    text: t("paths.rest", { count: p.rest_count.exact, sum: fmtFull(p.rest) }),
  }, lines);
  if (p.l2_term !== 0) htmlEl("p", { text: t("paths.l2", { v: fmtFull(p.l2_term) }) }, lines);
  const dW = ctx.stepDW ?? p.dW;
  const ok = Math.abs(p.total - dW) <= TOLERANCE * Math.max(1, Math.abs(dW));
  htmlEl("p", {
    class: ok ? "insp-check ok" : "insp-check off", "data-testid": "paths-total", "data-value": p.total, "data-dw": dW,
    text: `${t("paths.total", { total: fmtFull(p.total), dw: fmtFull(dW) })} ${ok ? "✓" : `✗ ${t("insp.check_off")}`}`,
  }, lines);

  const m = p.multiplications;
  htmlEl("p", {
    class: "insp-note paths-work", "data-testid": "paths-work",
    "data-paths": m.paths.exact, "data-backprop": m.backprop.exact,
    text: t("paths.work", { n, paths: m.paths.exact, backprop: m.backprop.exact, ratio: fmt(m.paths.value / m.backprop.value, 3) }),
  }, body);
}

/**
 * ∂L/∂W(l)ij = Σ_paths Σ_s h_i σ′(z_j) ∏_m W(m)_rk σ′(z_k) · ∂L/∂o_k (for an output weight, the
 * one empty path: Σ_s h_i ∂L/∂o_j).
 */
function generalFormula(answer, l0, last) {
  const h = l0 === 0 ? script(mi("x"), idx(answer.i)) : script(mi("h"), idx(answer.i), layerSup(l0));
  const head = [partial(mi("L"), script(mi("W"), idx(answer.i, answer.j), layerSup(l0 + 1))), mo("=")];
  if (l0 === last) {
    return flow([...head, sum(mi("s")), h, mo("⋅"), partial(mi("L"), script(mi("o"), idx(answer.j)))]);
  }
  const prod = m("munder", {}, [leaf("mo", "∏", { largeop: "true" }), mi("m")]);
  // On a narrow screen it wraps after an = or ⋅; the product's bracket stays whole.
  return flow([
    ...head, sum(leaf("mtext", t("paths.over"))), sum(mi("s")), h, mo("⋅"),
    row(mi("σ"), mo("′"), mo("("), script(mi("z"), idx(answer.j), layerSup(l0 + 1)), mo(")")), mo("⋅"),
    prod, row(mo("("), script(mi("W"), row(mi("r"), mi("k")), layerSup("m")), mo("⋅"),
      row(mi("σ"), mo("′"), mo("("), script(mi("z"), mi("k"), layerSup("m")), mo(")")), mo(")")), mo("⋅"),
    partial(mi("L"), script(mi("o"), mi("k"))),
  ]);
}

/** A factor's name in plain text (for a path's tooltip). */
function symbolText(f) {
  const [a, b] = f.index;
  if (f.kind === "h_in") return f.layer === 0 ? `x${a + 1}` : `h${layerMark(f.layer)}${a + 1}`;
  if (f.kind === "W") return `W${layerMark(f.layer + 1)}[${a + 1},${b + 1}]`;
  if (f.kind === "sigma_prime") return `σ′(z${layerMark(f.layer + 1)}${a + 1})`;
  if (f.kind === "dL_do") return `∂L/∂o${a + 1}`;
  return "1";
}

// The chain-rule inspector: which weight (layer, i, j pickers and an edit button), and its
// gradient built up from the API's `explain` answer: the sum over the batch with its partial
// sums, the selected sample's δ, and for a two-layer network the seed's own form. Hovering
// or focusing a factor reports the network elements it lives at.

import { clear, htmlEl } from "../ui/dom.js";
import { fmt, fmtFull, layerMark } from "../draw/format.js";
import { t } from "../i18n/i18n.js";
import { watchHighlights } from "./highlight.js";
import {
  deltaFormula, deltaNumbers, derivativeFormula, gradientFormula, seedFormula, seedNumbers,
  softmaxDeltaNumbers, symbol, totalNumbers,
} from "./chain-rule-math.js";

/**
 * @typedef {{layer: number, i: number, j: number}} WeightPick
 * @typedef {object} InspectorState
 * @property {WeightPick} pick
 * @property {number[]} sizes neurons per layer, input first
 * @property {string[]} features input names
 * @property {string[]} activations
 * @property {"ready" | "loading" | "pending" | "playing" | "error"} status
 * @property {any} explanation the API's answer (null unless ready or loading)
 * @property {number} row the batch row shown in the network
 * @property {number} w the weight's current value
 * @property {number | null} stepDW dW[i][j] of the step on screen (null: none shown)
 * @property {{p: number, y: number, n: number} | null} softmaxRow the row's output numbers,
 *   for δ = (p − y)/n of a softmax + cross-entropy output weight
 * @property {string} message what a pending or failed state says
 */

const TOLERANCE = 1e-12;

export class ChainRuleView {
  /** @param {HTMLElement} el */
  constructor(el) {
    this.el = el;
    this.handlers = { pick: (_p) => {}, edit: (_p) => {}, row: (_r) => {}, highlight: (_h) => {} };
    /** @type {InspectorState | null} */
    this.state = null;
    this.shape = "";
    this.build();
    watchHighlights(this.body, () => this.handlers.highlight);
  }

  /** @param {(p: WeightPick) => void} fn another weight was picked */
  bindPick(fn) { this.handlers.pick = fn; }

  /** @param {(p: WeightPick) => void} fn the edit button */
  bindEdit(fn) { this.handlers.edit = fn; }

  /** @param {(row: number) => void} fn a sample (batch row) was chosen */
  bindRow(fn) { this.handlers.row = fn; }

  /** @param {(targets: string | null) => void} fn a factor is hovered or focused (null: none) */
  bindHighlight(fn) { this.handlers.highlight = fn; }

  /** Rebuilds the labels in the current language. */
  relabel() {
    const state = this.state;
    this.state = null;
    clear(this.el);
    this.shape = "";
    this.build();
    if (state) this.render(state);
  }

  /** @private */
  build() {
    const pick = htmlEl("div", { class: "insp-pick", role: "group", "aria-label": t("insp.pick") }, this.el);
    const select = (key, testid) => {
      const label = htmlEl("label", { class: "insp-field" }, pick);
      htmlEl("span", { text: t(key) }, label);
      const s = /** @type {HTMLSelectElement} */ (htmlEl("select", { "data-testid": testid }, label));
      s.addEventListener("change", () => this.picked(s === this.layerSelect));
      return s;
    };
    this.layerSelect = select("insp.layer", "insp-layer");
    this.iSelect = select("insp.from", "insp-i");
    this.jSelect = select("insp.to", "insp-j");
    const edit = htmlEl("button", { type: "button", class: "btn btn-small", "data-testid": "insp-edit", text: t("insp.edit") }, pick);
    edit.addEventListener("click", () => this.state && this.handlers.edit(this.state.pick));
    this.body = htmlEl("div", { class: "insp-body", "data-testid": "inspector-body" }, this.el);
    htmlEl("p", { class: "explain", text: t("insp.explain_delta") }, this.el);
  }

  /** @private */
  picked(layerChanged) {
    const layer = Number(this.layerSelect.value);
    const i = layerChanged ? 0 : Number(this.iSelect.value);
    const j = layerChanged ? 0 : Number(this.jSelect.value);
    this.handlers.pick({ layer, i, j });
  }

  /** @param {InspectorState} s */
  render(s) {
    const before = this.state;
    // While playing it only says so: once is enough (the frames are the network's).
    if (s.status === "playing" && before && before.status === "playing" && before.message === s.message
      && samePick(before.pick, s.pick)) return;
    this.state = s;
    this.renderPickers(s);
    const body = this.body;
    clear(body);
    body.dataset.status = s.status;
    body.classList.toggle("stale", s.status === "loading");
    const p = s.pick;
    const l0 = p.layer;
    const isOutput = l0 === s.sizes.length - 2;
    const from = l0 === 0 ? (s.features[p.i] ?? `x${p.i + 1}`) : t("insp.neuron_of", { j: p.i + 1, layer: t("layers.hidden_n", { k: l0 }) });
    const to = isOutput ? t("insp.output_n", { j: p.j + 1 }) : t("insp.neuron_of", { j: p.j + 1, layer: t("layers.hidden_n", { k: l0 + 1 }) });
    const head = htmlEl("p", { class: "insp-head" }, body);
    htmlEl("strong", { text: `W${layerMark(l0 + 1)}[${p.i + 1}, ${p.j + 1}]` }, head);
    head.append(` ${from} → ${to} · w = ${fmtFull(s.w)}`);
    if (s.status !== "ready" && s.status !== "loading") {
      htmlEl("p", { class: "insp-message", "data-testid": "insp-message", text: s.message }, body);
      return;
    }
    const ex = s.explanation;
    if (!ex) {
      htmlEl("p", { class: "insp-message", text: t("insp.loading") }, body);
      return;
    }
    this.renderExplanation(body, s, ex, { l0, i: p.i, j: p.j, nNext: isOutput ? 0 : s.sizes[l0 + 2], isOutput });
  }

  /**
   * @private The three parts: the sum over the batch, the selected sample's δ, the seed's form.
   * @param {HTMLElement} body
   * @param {InspectorState} s
   * @param {any} ex the explanation
   * @param {import("./chain-rule-math.js").Pick} pick
   */
  renderExplanation(body, s, ex, pick) {
    const { l0, isOutput } = pick;
    const p = s.pick;
    const n = ex.samples.length;
    htmlEl("p", {
      class: "insp-when",
      text: ex.of === "next" ? t("insp.when_next", { n }) : t("insp.when_last", { step: ex.step, n }),
    }, body);

    this.section(body, t("insp.sum_title"));
    body.append(gradientFormula(pick));
    this.sampleTable(body, ex, l0, p, Math.min(s.row, n - 1));
    body.append(totalNumbers(pick, { data: ex.data_gradient, l2: ex.l2_term, total: ex.total }));
    this.check(body, s, ex);

    const k = Math.min(s.row, n - 1);
    const sample = ex.samples[k];
    this.section(body, t("insp.delta_title", { row: k + 1, index: sample.sample }));
    body.append(deltaFormula(pick));
    if (!isOutput && sample.backprop) {
      body.append(deltaNumbers(pick, sample));
      const d = derivativeFormula(ex.activation);
      if (d) {
        const note = htmlEl("p", { class: "insp-note" }, body);
        note.append(t("insp.derivative", { act: ex.activation }), " ", d);
      }
    } else if (s.softmaxRow) {
      body.append(softmaxDeltaNumbers(pick, { ...s.softmaxRow, dz: sample.dz }));
    } else {
      htmlEl("p", { class: "insp-note", text: t("insp.output_delta", { dz: fmtFull(sample.dz) }) }, body);
    }

    if (ex.seed_form) this.seedSection(body, pick, ex, k, s.sizes.at(-1));
    else if (s.sizes.length === 3 && l0 === 1) htmlEl("p", { class: "insp-note", text: t("insp.seed_hint") }, body);
  }

  /** @private */
  section(parent, title) {
    htmlEl("h3", { class: "insp-section", text: title }, parent);
  }

  /** @private The batch, one row per sample: h_i, δ_j, their product and the sum so far. */
  sampleTable(parent, ex, l0, p, selected) {
    const wrap = htmlEl("div", { class: "insp-table-wrap" }, parent);
    const table = htmlEl("table", { class: "insp-table", role: "grid", "aria-label": t("insp.table"), "data-testid": "insp-table" }, wrap);
    const head = htmlEl("tr", {}, htmlEl("thead", {}, table));
    const th = (content) => {
      const cell = htmlEl("th", { scope: "col" }, head);
      cell.append(content);
    };
    th(t("insp.sample"));
    th(l0 === 0 ? symbol("x", p.i + 1) : symbol("h", p.i + 1, l0));
    th(symbol("δ", p.j + 1, l0 + 1));
    th(t("insp.product"));
    th(t("insp.partial"));
    const body = htmlEl("tbody", {}, table);
    let running = 0;
    ex.samples.forEach((s, k) => {
      running += s.product;
      const tr = htmlEl("tr", {
        "aria-selected": String(k === selected), tabindex: k === selected ? 0 : -1,
        "data-row": k, "data-testid": `insp-row-${k}`,
      }, body);
      htmlEl("td", { text: `#${s.sample}` }, tr);
      htmlEl("td", { class: "num factor", text: fmt(s.h_in, 3), "data-value": s.h_in, "data-hl": `node:${l0}:${p.i}` }, tr);
      htmlEl("td", { class: "num factor", text: fmt(s.dz, 3), "data-value": s.dz, "data-hl": `node:${l0 + 1}:${p.j}` }, tr);
      htmlEl("td", { class: "num", text: fmt(s.product, 3), "data-value": s.product }, tr);
      htmlEl("td", { class: "num partial", text: fmt(running, 4), "data-value": running }, tr);
      tr.addEventListener("click", () => this.handlers.row(k));
    });
    body.addEventListener("keydown", (ev) => {
      const delta = { ArrowDown: 1, ArrowUp: -1 }[ev.key];
      if (!delta) return;
      ev.preventDefault();
      const k = Math.max(0, Math.min(ex.samples.length - 1, selected + delta));
      this.refocusRow = k;
      this.handlers.row(k);
    });
    if (this.refocusRow !== undefined) {
      const tr = body.querySelector(`tr[data-row="${this.refocusRow}"]`);
      this.refocusRow = undefined;
      if (tr) /** @type {HTMLElement} */ (tr).focus();
    }
    // Keep the selected row in sight inside the table's own scroll box (not the column's).
    const sel = /** @type {HTMLElement | null} */ (body.querySelector('tr[aria-selected="true"]'));
    if (sel && wrap.scrollHeight > wrap.clientHeight) wrap.scrollTop = Math.max(0, sel.offsetTop - wrap.clientHeight / 2);
  }

  /** @private The total against the backward pass's own dW. */
  check(parent, s, ex) {
    const dW = s.stepDW ?? ex.dW;
    const ok = Math.abs(ex.total - dW) <= TOLERANCE * Math.max(1, Math.abs(dW));
    const key = s.stepDW === null ? "insp.check_next" : "insp.check_step";
    const p = htmlEl("p", {
      class: ok ? "insp-check ok" : "insp-check off", "data-testid": "insp-total", "data-value": ex.total, "data-dw": dW,
    }, parent);
    p.append(t(key, { dw: fmtFull(dW) }), ok ? " ✓" : ` ✗ ${t("insp.check_off")}`);
  }

  /** @private The seed's Σ_l ∂L/∂o_l · W2_jl · σ'(z_j) · x_i, for the selected sample. */
  seedSection(parent, pick, ex, k, nOut) {
    const box = htmlEl("div", { class: "insp-seed", "data-testid": "seed-form" }, parent);
    this.section(box, t("insp.seed_title"));
    htmlEl("p", { class: "insp-note", text: t("insp.seed_intro") }, box);
    box.append(seedFormula(pick, nOut));
    const terms = ex.seed_form.slice(k * nOut, (k + 1) * nOut);
    htmlEl("p", { class: "insp-note", text: t("insp.seed_sample", { row: k + 1, index: ex.samples[k].sample }) }, box);
    box.append(seedNumbers(pick, terms));
    const ok = Math.abs(ex.seed_total - ex.total) <= TOLERANCE * Math.max(1, Math.abs(ex.total));
    const sumLine = htmlEl("p", { class: ok ? "insp-check ok" : "insp-check off", "data-testid": "seed-total", "data-value": ex.seed_total }, box);
    sumLine.append(t("insp.seed_total", { n: ex.samples.length, total: fmtFull(ex.seed_total) }), ok ? " ✓" : " ✗");
  }

  /** @private Options for the three pickers, rebuilt only when the shape changes. */
  renderPickers(s) {
    const shape = `${s.sizes.join(",")}|${s.pick.layer}|${s.features.join(",")}`;
    if (shape !== this.shape) {
      this.shape = shape;
      const L = s.sizes.length - 1;
      fill(this.layerSelect, Array.from({ length: L }, (_, l) => [l, `W${layerMark(l + 1)}`]));
      const nIn = s.sizes[s.pick.layer];
      const nOut = s.sizes[s.pick.layer + 1];
      fill(this.iSelect, Array.from({ length: nIn }, (_, i) => [i, s.pick.layer === 0 ? `${i + 1} · ${s.features[i] ?? ""}` : String(i + 1)]));
      fill(this.jSelect, Array.from({ length: nOut }, (_, j) => [j, String(j + 1)]));
    }
    this.layerSelect.value = String(s.pick.layer);
    this.iSelect.value = String(s.pick.i);
    this.jSelect.value = String(s.pick.j);
  }
}

function samePick(a, b) {
  return a.layer === b.layer && a.i === b.i && a.j === b.j;
}

function fill(select, options) {
  clear(select);
  for (const [value, label] of options) htmlEl("option", { value: String(value), text: label }, select);
}

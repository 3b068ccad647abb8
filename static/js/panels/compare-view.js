// Compare mode's view: the presets and their explanation, the shared data settings, network A
// and network B side by side (settings, parameter count, step, loss, a small drawing with the
// phase on screen) and the two overlaid curves (training loss, first layer's gradient norm).

import { clear, htmlEl, svgEl } from "../ui/dom.js";
import { addField, readForm } from "../ui/form-fields.js";
import { fmt, fmtPercent, layerMark } from "../draw/format.js";
import { t } from "../i18n/i18n.js";
import { phaseLabel } from "../i18n/captions.js";
import { downsample, LineChart } from "../draw/line-chart.js";
import { layoutNetwork } from "../network/layout.js";
import { displayOf } from "../model/shown-step.js";
import { backwardRank } from "../model/phases.js";
import { fitWhole, taskOf } from "../model/config.js";
import { learningRates } from "./editor-view.js";
import {
  COMPARE_PRESETS, hiddenActivation, hiddenProblem, hiddenText, paramCount, parseHidden, withHidden,
} from "../model/compare.js";

const MAX_POINTS = 300;
const DRAW_W = 360;
const DRAW_H = 190;
const SIDES = /** @type {const} */ (["a", "b"]);

export class CompareView {
  /**
   * @param {HTMLElement} root the compare section of the template
   * @param {HTMLElement} columns the page's own three columns (hidden while comparing)
   * @param {HTMLButtonElement} toggle the top bar's Compare button
   */
  constructor(root, columns, toggle) {
    this.root = root;
    this.columns = columns;
    this.toggle = toggle;
    this.presets = root.querySelector("[data-role=presets]");
    this.explain = root.querySelector("[data-role=explain]");
    this.shared = /** @type {HTMLFormElement} */ (root.querySelector("[data-role=shared]"));
    this.cards = { a: root.querySelector("[data-side=a]"), b: root.querySelector("[data-side=b]") };
    this.loss = new LineChart(root.querySelector("[data-role=loss]"), { height: 150 });
    this.norms = new LineChart(root.querySelector("[data-role=norms]"), { height: 150, log: true });
    this.handlers = { preset: (_n) => {}, edit: (_s, _c) => {}, swap: () => {}, copy: (_f) => {}, close: () => {} };
    this.pair = null;
    for (const [action, arg] of [["swap"], ["copy", "a"], ["copy", "b"], ["close"]]) {
      const el = root.querySelector(`[data-action=${action}${arg ? `-${arg}` : ""}]`);
      el.addEventListener("click", () => this.handlers[action](arg));
    }
    this.shared.addEventListener("submit", (ev) => ev.preventDefault());
    this.shared.addEventListener("change", () => this.sharedChanged());
    document.addEventListener("keydown", (ev) => {
      if (ev.key !== "Escape" || this.root.hidden || ev.defaultPrevented) return;
      if (document.querySelector("dialog[open]")) return;
      ev.preventDefault();
      this.handlers.close();
    });
  }

  bindPreset(fn) { this.handlers.preset = fn; }
  bindEdit(fn) { this.handlers.edit = fn; }
  bindSwap(fn) { this.handlers.swap = fn; }
  bindCopy(fn) { this.handlers.copy = fn; }
  bindClose(fn) { this.handlers.close = fn; }
  /** @param {(text: string) => void} fn a setting was not used: says why */
  bindInvalid(fn) { this.handlers.invalid = fn; }
  /** @param {() => void} fn the top bar's Compare button pressed */
  bindOpen(fn) { this.toggle.addEventListener("click", fn); }

  /** @param {boolean} on */
  show(on) {
    this.root.hidden = !on;
    this.columns.hidden = on;
    this.toggle.setAttribute("aria-pressed", String(on));
    // The focus was inside what is now hidden: it goes back to the button that opened it.
    if (!on && this.root.contains(document.activeElement)) this.toggle.focus();
    if (!on) {
      for (const side of SIDES) clear(this.cards[side]);
      clear(this.shared);
    }
  }

  /**
   * Builds the presets, the shared settings and both cards' settings for a pair.
   * @param {import("../model/compare.js").Pair} pair
   * @param {import("../model/catalog.js").Catalog} catalog
   */
  render(pair, catalog) {
    this.pair = pair;
    this.catalog = catalog;
    clear(this.presets);
    for (const name of COMPARE_PRESETS) {
      const key = name.replace("-", "_");
      const b = htmlEl("button", {
        type: "button", class: "btn btn-small", "data-testid": `compare-preset-${name}`,
        "aria-pressed": String(pair.preset === name), text: t(`compare.preset.${key}`),
      }, this.presets);
      b.addEventListener("click", () => this.handlers.preset(name));
    }
    this.explain.textContent = pair.preset ? t(`compare.preset.${pair.preset.replace("-", "_")}.explain`) : t("compare.explain");
    this.renderShared(pair.a, catalog);
    for (const side of SIDES) this.renderCard(side, pair[side], catalog);
  }

  /** @private */
  renderShared(c, catalog) {
    const form = this.shared;
    clear(form);
    const kinds = catalog.kinds().filter((k) => catalog.dataset({ kind: k }).task === "classification");
    addField(form, { name: "cmp-dataset", label: t("editor.dataset"), kind: "select", value: c.dataset.kind, options: kinds.map((k) => [k, t(`dataset.${k}`)]) });
    const seed = catalog.bound("seed");
    const batch = catalog.bound("batch_size");
    addField(form, { name: "cmp-seed", label: t("editor.seed"), kind: "number", value: c.seed, min: seed.min, max: seed.max, step: 1 });
    addField(form, { name: "cmp-batch", label: t("editor.batch_size"), kind: "number", value: c.batch_size, min: batch.min, max: batch.max, step: 1 });
  }

  /** @private */
  sharedChanged() {
    const v = readForm(this.shared);
    const c = structuredClone(this.pair.a);
    if (v["cmp-dataset"] !== c.dataset.kind) c.dataset = { ...c.dataset, kind: v["cmp-dataset"] };
    // Whole numbers fitted to the catalog's range, as the page's own form does, and said.
    const said = [];
    for (const [name, key, label] of [["cmp-seed", "seed", "editor.seed"], ["cmp-batch", "batch_size", "editor.batch_size"]]) {
      const fit = fitWhole(v[name], this.catalog.bound(key), label, c[key]);
      c[key] = fit.value;
      if (fit.note) said.push(t(fit.note.key, { ...fit.note.params, field: t(label) }));
    }
    if (said.length) this.handlers.invalid(said.join(" "));
    if (JSON.stringify(c) === JSON.stringify(this.pair.a)) {
      this.renderShared(this.pair.a, this.catalog); // the fields show the pair's values again
      return;
    }
    this.handlers.edit("a", c);
  }

  /** @private */
  renderCard(side, c, catalog) {
    const card = this.cards[side];
    clear(card);
    const head = htmlEl("div", { class: "compare-card-head" }, card);
    htmlEl("span", { class: `compare-swatch swatch-${side}`, "aria-hidden": "true" }, head);
    htmlEl("h3", { class: "compare-name", text: t(`compare.network_${side}`) }, head);
    htmlEl("span", { class: "phase-badge compare-phase", "data-role": "phase", "data-testid": `compare-${side}-phase` }, head);
    const form = /** @type {HTMLFormElement} */ (htmlEl("form", { class: "compare-form", autocomplete: "off" }, card));
    form.addEventListener("submit", (ev) => ev.preventDefault());
    const p = (name) => `${side}-${name}`;
    // The hidden widths as text ("8, 8, 8"): any depth in one field.
    const wrap = htmlEl("label", { class: "field field-text" }, form);
    htmlEl("span", { class: "field-label", text: t("compare.hidden") }, wrap);
    wrap.title = t("compare.hidden_hint");
    const input = /** @type {HTMLInputElement} */ (htmlEl("input", { type: "text", name: p("hidden"), "data-testid": `field-${p("hidden")}`, spellcheck: "false" }, wrap));
    input.value = hiddenText(c.layers);
    const act = hiddenActivation(c);
    if (act) {
      addField(form, {
        name: p("act"), label: t("compare.activation"), kind: "select", value: act,
        options: [...(act === "mixed" ? [["mixed", t("compare.mixed")]] : []), ...catalog.hidden.map((a) => [a, a])],
      });
    }
    addField(form, { name: p("residual"), label: t("compare.residual"), kind: "select", value: c.residual ? "on" : "off", options: [["off", t("compare.off")], ["on", t("compare.on")]] });
    addField(form, { name: p("loss"), label: t("editor.loss"), kind: "select", value: c.loss, options: catalog.losses(taskOf(c, catalog)).map((l) => [l, t(`loss.${l}`)]) });
    addField(form, { name: p("optimizer"), label: t("editor.optimizer"), kind: "select", value: c.optimizer.name, options: catalog.optimizers.map((o) => [o, t(`optimizer.${o}`)]) });
    const rates = learningRates(catalog, c.optimizer.learning_rate);
    addField(form, { name: p("lr"), label: t("editor.learning_rate"), kind: "select", value: c.optimizer.learning_rate, options: rates.map((r) => [r, fmt(r)]) });
    addField(form, { name: p("init"), label: t("editor.init"), kind: "select", value: c.init, options: catalog.inits.map((i) => [i, t(`init.${i}`)]) });
    // The widths text is applied once per text: not again by the change its field's removal
    // (the card built anew) or a blur after Enter may bring.
    input.dataset.seen = input.value;
    form.addEventListener("change", (ev) => {
      if (ev.target === input && input.value === input.dataset.seen) return;
      input.dataset.seen = input.value;
      this.cardChanged(side, form, input, ev.target);
    });
    // Enter applies the text, as a change; the form is never submitted (the change builds it
    // anew, and a form no longer on the page cannot be submitted).
    input.addEventListener("keydown", (ev) => {
      if (ev.key !== "Enter") return;
      ev.preventDefault();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    const stats = htmlEl("dl", { class: "compare-stats" }, card);
    for (const [key, label] of [["params", "compare.params"], ["step", "status.step"], ["loss", "compare.train_loss"], ["accuracy", "compare.test_accuracy"]]) {
      const box = htmlEl("div", {}, stats);
      htmlEl("dt", { text: t(label) }, box);
      htmlEl("dd", { "data-role": key, "data-testid": `compare-${side}-${key}` }, box);
    }
    stats.querySelector("[data-role=params]").textContent = String(paramCount(c.layers));
    stats.querySelector("[data-role=params]").dataset.value = String(paramCount(c.layers));
    svgEl("svg", {
      class: "compare-net", viewBox: `0 -14 ${DRAW_W} ${DRAW_H + 14}`, role: "img", "data-testid": `compare-${side}-net`,
      "aria-label": t("compare.net_aria", { name: t(`compare.network_${side}`), layers: c.layers.join("–") }),
    }, card);
  }

  /**
   * A card's settings changed: the pair with them. Hidden widths out of the limits are said
   * (naming the part and the range) and the field goes back to the widths the network has, as
   * a setting the server refuses goes back; a change of another setting then still applies.
   * @param {"a" | "b"} side
   * @param {HTMLFormElement} form
   * @param {HTMLInputElement} input the hidden widths
   * @param {EventTarget | null} source the field changed
   * @private
   */
  cardChanged(side, form, input, source) {
    const v = readForm(form);
    const p = (name) => v[`${side}-${name}`];
    const c = structuredClone(this.pair[side]);
    const cat = this.catalog;
    const problem = hiddenProblem(input.value, cat.maxWidth, cat.maxWeightLayers - 1);
    if (problem) {
      const kept = hiddenText(c.layers);
      this.handlers.invalid(t("compare.hidden_refused", {
        name: t(`compare.network_${side}`), problem: t(problem.key, problem.params),
        rule: t("compare.hidden_bad", { width: cat.maxWidth, hidden: cat.maxWeightLayers - 1 }),
        kept: kept || t("compare.hidden_none"),
      }));
      input.value = kept;
      input.dataset.seen = kept;
      if (source === input) return;
    }
    const layers = parseHidden(input.value, c.layers);
    const act = p("act") && p("act") !== "mixed" ? p("act") : (hiddenActivation(c) === "mixed" ? null : hiddenActivation(c)) || cat.defaults.activations[0];
    const next = act ? withHidden(c, layers, act) : c;
    next.residual = p("residual") === "on";
    next.loss = p("loss");
    const lr = Number(p("lr"));
    // The optimizer's own hyper-parameters (the catalog's defaults), the ones it shares kept.
    const name = p("optimizer");
    const own = cat.optimizerDefaults(name);
    const kept = Object.fromEntries(Object.entries(c.optimizer).filter(([k]) => k in own));
    next.optimizer = { ...own, ...kept, name, learning_rate: lr };
    next.init = p("init");
    this.handlers.edit(side, next);
  }

  /**
   * Paints both networks' numbers, drawings and the two overlaid curves.
   * @param {{sessions: {a: any, b: any}, shown: {a: any, b: any}, playing: boolean,
   *          motion: boolean}} state motion: the gradient of the layer on screen flows
   */
  paint({ sessions, shown, playing, motion }) {
    const said = [];
    for (const side of SIDES) {
      const s = sessions[side];
      const card = this.cards[side];
      if (!s.net || !card.firstChild) continue;
      card.dataset.networkId = s.net.id;
      card.dataset.step = String(s.net.step);
      const set = (role, text, value) => {
        const el = card.querySelector(`[data-role=${role}]`);
        el.textContent = text;
        if (value !== undefined) el.dataset.value = String(value);
      };
      set("step", String(s.net.step), s.net.step);
      set("loss", s.metrics.train_loss === null ? "–" : fmt(s.metrics.train_loss, 4), s.metrics.train_loss ?? "");
      set("accuracy", s.metrics.test_accuracy === null ? "–" : fmtPercent(s.metrics.test_accuracy), s.metrics.test_accuracy ?? "");
      const d = displayOf(shown[side], s.net.weights, motion);
      const badge = card.querySelector("[data-role=phase]");
      badge.dataset.phase = d.phase;
      badge.dataset.kind = d.phase.split("-")[0];
      badge.textContent = phaseLabel(d.phase);
      drawNet(card.querySelector(".compare-net"), s.config, d, side);
      said.push(t("compare.say_side", { name: t(`compare.network_${side}`), phase: phaseLabel(d.phase), loss: fmt(s.metrics.train_loss, 4) }));
    }
    // Screen readers hear each step or phase of the pair (not every frame of play).
    const narration = document.getElementById("narration");
    if (!playing && said.length === 2 && narration) narration.textContent = t("compare.say", { step: sessions.a.net.step, a: said[0], b: said[1] });
    const series = (side, key) => {
      const h = downsample(sessions[side].history, MAX_POINTS);
      return { name: side, cls: `line-cmp line-cmp-${side}`, label: side.toUpperCase(), points: h.map(key) };
    };
    const n = Math.max(sessions.a.history.length, sessions.b.history.length);
    this.loss.render(SIDES.map((s) => series(s, (h) => [h.step, h.train_loss])), t("chart.empty"), n);
    this.norms.render(SIDES.map((s) => series(s, (h) => [h.step, h.grad_norms[0] ?? null])), t("chart.empty_norms"), n);
  }
}

/**
 * A small drawing of one network: weights as lines (blue positive, orange negative), the skip
 * arcs of a residual network, the layers the forward pass has reached filled, and the backward
 * pass's gradients as red dashed arrows back along each weight (width ∝ |∂L/∂w|) on the layers
 * it has reached, last layer first, as the page's own network draws them (faded once updated).
 * @param {SVGSVGElement} svg
 * @param {any} config the network's configuration
 * @param {import("../model/shown-step.js").Display} d
 * @param {"a" | "b"} side
 */
function drawNet(svg, config, d, side) {
  clear(svg);
  svg.dataset.phase = d.phase;
  svg.classList.toggle("motion", d.motion);
  const head = `cmp-head-${side}`;
  const marker = svgEl("marker", {
    id: head, viewBox: "0 0 10 10", refX: 10, refY: 5, markerUnits: "userSpaceOnUse", markerWidth: 6, markerHeight: 6, orient: "auto",
  }, svgEl("defs", {}, svg));
  svgEl("path", { d: "M0,0 L10,5 L0,10 z", class: "cmp-head" }, marker);
  const sizes = config.layers;
  // The layout keeps room under the columns (its foot) for the W labels, clear of the nodes.
  const lay = layoutNetwork(sizes, DRAW_W, DRAW_H + 8);
  // A hidden layer as wide as its input adds it back (H = H_prev + σ(Z)): an arc over it.
  for (let l = 1; l < sizes.length - 2 && config.residual; l += 1) {
    if (sizes[l] !== sizes[l + 1]) continue;
    const [p, q] = [lay.columns[l], lay.columns[l + 1]];
    const y = Math.min(p.top, q.top) - 2;
    svgEl("path", { class: "cmp-skip", "data-layer": l, d: `M${p.x},${y} Q${(p.x + q.x) / 2},${y - 16} ${q.x},${y}` }, svg);
  }
  const L = sizes.length - 1;
  const ys = (col) => (col.aggregated ? [(col.top + col.bottom) / 2] : col.nodes.map((n) => n.y));
  const maxW = Math.max(1e-12, ...d.weights.flat(2).map(Math.abs));
  const dW = d.trace ? d.trace.layers.map((x) => x.dW) : null;
  const maxG = dW ? Math.max(1e-12, ...dW.flat(2).map(Math.abs)) : 1;
  const r = Math.max(3, Math.min(7, lay.nodeH / 3));
  const edges = svgEl("g", {}, svg);
  const grads = svgEl("g", {}, svg);
  for (let l = 0; l < L; l += 1) {
    const from = lay.columns[l];
    const to = lay.columns[l + 1];
    const rank = backwardRank(L, l);
    const back = dW !== null && d.backward > rank; // red once the backward pass has reached it
    const current = d.phase === `backward-${l}` ? " current" : "";
    ys(from).forEach((y1, i) => ys(to).forEach((y2, j) => {
      const agg = from.aggregated || to.aggregated;
      const at = { "data-layer": l, "data-i": agg ? -1 : i, "data-j": agg ? -1 : j };
      const w = agg ? meanAbs(d.weights[l]) : d.weights[l][i][j];
      svgEl("line", {
        x1: from.x, y1, x2: to.x, y2, ...at, "data-w": w,
        class: `cmp-edge ${w >= 0 ? "pos" : "neg"}`, "stroke-width": (0.3 + 2.4 * Math.abs(w) / maxW).toFixed(2),
      }, edges);
      if (!back) return;
      // Back along the weight, the head at the edge of the lower layer's neuron.
      const g = agg ? meanAbs(dW[l]) : dW[l][i][j];
      const width = Number((0.4 + 3.6 * Math.abs(g) / maxG).toFixed(2));
      const len = Math.hypot(to.x - from.x, y2 - y1) || 1;
      svgEl("line", {
        x1: to.x, y1: y2, x2: from.x + (to.x - from.x) * r / len, y2: y1 + (y2 - y1) * r / len, ...at,
        class: `cmp-grad${current}`, "data-order": rank, "data-dw": g, "data-width": width,
        "stroke-width": width, "marker-end": `url(#${head})`,
      }, grads);
    }));
  }
  lay.columns.forEach((col, k) => {
    const on = k === 0 || k <= d.forward;
    if (col.aggregated) {
      svgEl("rect", { x: col.x - r, y: col.top, width: 2 * r, height: col.bottom - col.top, rx: r, class: `cmp-node${on ? " on" : ""}` }, svg);
      svgEl("text", { x: col.x + r + 3, y: col.top + 10, class: "cmp-size cmp-size-side" }, svg).textContent = String(col.size);
    } else {
      for (const nd of col.nodes) svgEl("circle", { cx: col.x, cy: nd.y, r, class: `cmp-node${on ? " on" : ""}` }, svg);
    }
    if (k > 0) svgEl("text", { x: col.x, y: lay.footY, class: "cmp-size" }, svg).textContent = `W${layerMark(k)}`;
  });
}

function meanAbs(m) {
  const flat = m.flat();
  return flat.reduce((s, v) => s + Math.abs(v), 0) / Math.max(1, flat.length);
}

// Beside each layer's activation menu: a small plot of σ (dark) and σ′ (teal, dashed) over a
// window of z that holds the batch, both from the API, with the shown step's z values as dots
// on the curves (the selected sample's larger) and how many have σ′ ≈ 0, where the gradient
// through a neuron vanishes (saturation, or a ReLU that is off).

import { clear, htmlEl, svgEl } from "../ui/dom.js";
import { fmt } from "../draw/format.js";
import { t } from "../i18n/i18n.js";
import { FIRST_EXTENTS, FLAT, curveDots, zExtent } from "../model/curve-points.js";

const MAX_W = 120;
const H = 36;
const PAD = 2;
const RESOLUTION = 121; // or the server's max_resolution, if lower
const PLAYING_INTERVAL_MS = 250; // while playing, the plots move a few times a second

export class ActivationCurveView {
  /**
   * @param {HTMLElement} root the layer controls (their .act-curve slots, one per layer)
   * @param {{activationCurve: (name: string, lo: number, hi: number, n: number) => Promise<any>,
   *          catalog: import("../model/catalog.js").Catalog}} source the session (its catalog
   *   says which activations are elementwise and the finest grid the server draws)
   */
  constructor(root, source) {
    this.root = root;
    this.source = source;
    /** @type {Map<string, Promise<any>>} curves by "name|extent" (they never change) */
    this.curves = new Map();
    this.last = null;
    this.paintedAt = -Infinity;
  }

  /**
   * Asks for the curves of the usual windows at once (the page's start waits for them, so
   * a network on screen has its plots without a request still in flight).
   * @param {string[]} names activations
   * @returns {Promise<void>}
   */
  preload(names) {
    const all = names.flatMap((name) => FIRST_EXTENTS.map((extent) => this.curve(name, extent).catch(() => null)));
    return Promise.all(all).then(() => {});
  }

  /** @private σ and σ′ of `name` over [−extent, extent], asked for once. */
  curve(name, extent) {
    const key = `${name}|${extent}`;
    if (!this.curves.has(key)) {
      const p = this.source.activationCurve(name, -extent, extent, Math.min(RESOLUTION, this.source.catalog.limits.max_resolution));
      p.catch(() => this.curves.delete(key)); // asked again next time
      this.curves.set(key, p);
    }
    return this.curves.get(key);
  }

  /**
   * Shows or hides the plots (a toggle button's aria-pressed).
   * @param {HTMLButtonElement} button
   */
  bindToggle(button) {
    const apply = (on) => {
      button.setAttribute("aria-pressed", String(on));
      this.root.classList.toggle("with-curves", on);
      if (on) this.refresh();
    };
    button.addEventListener("click", () => apply(button.getAttribute("aria-pressed") !== "true"));
    apply(button.getAttribute("aria-pressed") !== "false");
  }

  /**
   * Draws every layer's plot for what the network shows.
   * @param {import("../model/shown-step.js").Display} d
   * @param {string[]} activations
   * @param {boolean} playing
   */
  paint(d, activations, playing) {
    this.last = { d, activations };
    if (!this.root.classList.contains("with-curves")) return;
    if (playing && performance.now() - this.paintedAt < PLAYING_INTERVAL_MS) return;
    this.paintedAt = performance.now();
    for (const slot of this.root.querySelectorAll(".act-curve")) this.paintSlot(/** @type {HTMLElement} */ (slot), d, activations);
  }

  /** Draws again (the slots were rebuilt, or the language changed). */
  refresh() {
    if (!this.last) return;
    for (const slot of this.root.querySelectorAll(".act-curve")) delete /** @type {HTMLElement} */ (slot).dataset.key;
    this.paintedAt = -Infinity;
    this.paint(this.last.d, this.last.activations, false);
  }

  /** @private */
  paintSlot(slot, d, activations) {
    const l = Number(slot.dataset.layer);
    const act = activations[l];
    const tr = d.trace;
    const z = tr && d.forward > l ? tr.layers[l].z : null;
    const catalog = this.source.catalog;
    if (act === undefined || !catalog.hidden.includes(act)) { // softmax is not elementwise
      slot.hidden = true;
      return;
    }
    slot.hidden = false;
    const extent = zExtent(z);
    const key = `${act}|${extent}|${z ? `${tr.step}|${tr.batch.join(",")}|${d.row}` : "-"}`;
    if (slot.dataset.key === key) return;
    slot.dataset.key = key;
    this.curve(act, extent).then((curve) => {
      if (slot.dataset.key === key && slot.isConnected) draw(slot, curve, z, d.row, l);
    }, (err) => console.warn(err));
  }
}

/**
 * @param {HTMLElement} slot
 * @param {any} curve the API's {name, formula, lo, hi, z, sigma, sigma_prime}
 * @param {number[][] | null} z the layer's z over the batch (null: not reached yet)
 * @param {number} row the selected batch row
 * @param {number} l the weight layer
 */
function draw(slot, curve, z, row, l) {
  clear(slot);
  // As wide as the layer's cell allows (cells narrow on small screens and deep networks).
  const cell = slot.parentElement ? slot.parentElement.clientWidth : MAX_W;
  const W = Math.round(Math.max(48, Math.min(MAX_W, cell - 6)));
  const span = (values) => {
    const lo = Math.min(0, ...values);
    const hi = Math.max(...values);
    return hi > lo ? [lo, hi] : [lo - 1, lo + 1];
  };
  const [slo, shi] = span(curve.sigma);
  const [plo, phi] = span(curve.sigma_prime);
  const x = (v) => PAD + ((v - curve.lo) / (curve.hi - curve.lo)) * (W - 2 * PAD);
  const ys = (v) => H - PAD - ((v - slo) / (shi - slo)) * (H - 2 * PAD);
  const yp = (v) => H - PAD - ((v - plo) / (phi - plo)) * (H - 2 * PAD);
  const points = z ? curveDots(curve, z) : null;
  const label = t("curve.aria", {
    act: curve.name, formula: curve.formula.includes("=") ? curve.formula : `σ(z) = ${curve.formula}`,
    lo: fmt(curve.lo), hi: fmt(curve.hi),
    n: points ? points.total : 0, flat: points ? points.flat : 0,
  });
  const svg = svgEl("svg", {
    class: "act-plot", width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": label,
    "data-lo": curve.lo, "data-hi": curve.hi,
  }, slot);
  svgEl("title", {}, svg).textContent = label;
  svgEl("line", { class: "act-axis", x1: x(0), x2: x(0), y1: 0, y2: H }, svg);
  svgEl("line", { class: "act-axis", x1: 0, x2: W, y1: ys(0), y2: ys(0) }, svg);
  const path = (values, y) => values.map((v, k) => `${k ? "L" : "M"}${x(curve.z[k]).toFixed(1)} ${y(v).toFixed(1)}`).join("");
  svgEl("path", { class: "act-sigma-prime", d: path(curve.sigma_prime, yp) }, svg);
  svgEl("path", { class: "act-sigma", d: path(curve.sigma, ys) }, svg);
  if (points) {
    const dots = svgEl("g", { class: "act-dots", "data-testid": `act-dots-${l}`, "data-count": points.total }, svg);
    for (const p of points.dots) {
      const sel = p.s === row ? " selected" : "";
      const data = { "data-s": p.s, "data-k": p.k, "data-z": p.z };
      svgEl("circle", { class: `act-dot-prime${sel}`, cx: x(p.z), cy: yp(p.sigmaPrime), r: sel ? 2.4 : 1.5, ...data }, dots);
      svgEl("circle", { class: `act-dot${sel}`, cx: x(p.z), cy: ys(p.sigma), r: sel ? 2.4 : 1.5, ...data, "data-sigma": p.sigma }, dots);
    }
  }
  const foot = htmlEl("div", { class: "act-foot" }, slot);
  htmlEl("span", { class: "act-key-sigma", text: "σ" }, foot);
  htmlEl("span", { class: "act-key-prime", text: "σ′" }, foot);
  if (points) {
    htmlEl("span", {
      class: points.flat ? "act-flat some" : "act-flat", "data-testid": `act-flat-${l}`, "data-value": points.flat,
      text: t("curve.flat", { k: points.flat, n: points.total, eps: fmt(FLAT) }),
    }, foot);
  }
}

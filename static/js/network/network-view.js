// The network drawing (SVG): builds nodes, weight edges, gradient arrows and update marks with
// ids derived from model ids (node-{layer}-{j}, edge-{l}-{i}-{j}, grad-{l}-{i}-{j}), shows each
// hidden neuron's map over the input plane, highlights what the inspector points at, and
// reports hovers and clicks. What the elements show is painted by network-paint.js.

import { arrowPath, curve, edgeEnds, layoutNetwork, minDrawingHeight } from "./layout.js";
import { clear, svgEl } from "../ui/dom.js";
import { t } from "../i18n/i18n.js";
import { classColor } from "../draw/scales.js";
import { applyMaps, drawHighlight, drawInspected, neuronMaps } from "./network-marks.js";
import { arrowScale, paintArrows, paintBase } from "./network-paint.js";
import { buildSkipArcs, paintSkipArcs, skipScale } from "./skip-arcs.js";

/**
 * @typedef {{kind: "edge" | "node" | "block" | "skip", layer: number, i: number, j: number,
 *            x: number, y: number}} Target
 *   for a node, `layer` is the column (0 = input) and `j` the neuron; i is unused; for a
 *   skip arc, `layer` is the weight layer it goes over and `j` the neuron (-1: a block)
 */

const NOOP = () => {};

// Arrowheads in three sizes (user units) so thick arrows keep a head wider than the shaft,
// each also faded for the arrows of a step whose update has been shown.
const HEADS = [["s", 9], ["m", 13], ["l", 18]];

export class NetworkView {
  /**
   * @param {SVGSVGElement} svg the weights and neurons
   * @param {SVGSVGElement} overlay the gradient arrows, stacked above in a layer of their own
   */
  constructor(svg, overlay) {
    this.svg = svg;
    this.overlay = overlay;
    this.pendingArrows = 0;
    /** @type {number[] | null} */
    this.sizes = null;
    /** @type {boolean[]} per weight layer: a skip connection (the API's `skips`) */
    this.skips = [];
    this.features = [];
    this.outputClasses = 0;
    this.layout = null;
    this.refs = null;
    this.display = null;
    this.scales = null;
    this.size = [0, 0];
    /** @type {string[][] | null} data URLs of the hidden neurons' maps, [column][j] */
    this.maps = null;
    this.showMaps = true;
    this.playing = false;
    /** @type {{layer: number, i: number, j: number} | null} the weight the inspector shows */
    this.inspected = null;
    this.highlighted = "";
    this.handlers = {
      hover: NOOP, leave: NOOP, edgeClick: NOOP, edgeEdit: NOOP, nodeClick: NOOP, built: NOOP,
    };
    svg.addEventListener("pointermove", (ev) => this.onPointer(ev));
    svg.addEventListener("pointerleave", () => this.handlers.leave());
    svg.addEventListener("click", (ev) => this.onClick(ev));
    svg.addEventListener("dblclick", (ev) => {
      const t = this.target(ev);
      if (t && t.kind === "edge" && t.i >= 0 && t.j >= 0) this.handlers.edgeEdit(t);
    });
    new ResizeObserver(() => this.onResize()).observe(svg.parentElement);
  }

  /** @param {(t: Target) => void} fn */
  bindHover(fn) { this.handlers.hover = fn; }

  /** @param {() => void} fn */
  bindLeave(fn) { this.handlers.leave = fn; }

  /** @param {(t: Target) => void} fn called with a weight (edge) that was clicked */
  bindEdgeClick(fn) { this.handlers.edgeClick = fn; }

  /** @param {(t: Target) => void} fn called with a weight (edge) that was double-clicked */
  bindEdgeEdit(fn) { this.handlers.edgeEdit = fn; }

  /** @param {(t: Target) => void} fn called with a neuron (for its bias) that was clicked */
  bindNodeClick(fn) { this.handlers.nodeClick = fn; }

  /** @param {(layout: any) => void} fn called after every (re)build with the new layout */
  bindBuilt(fn) { this.handlers.built = fn; }

  /**
   * Draws a new architecture (elements for every node and weight), then repaints.
   * @param {number[]} sizes neurons per layer, input first
   * @param {string[]} features input feature names
   * @param {number} outputClasses class count (0 for regression)
   * @param {boolean[]} [skips] per weight layer, whether it adds a skip arc (residual)
   */
  setStructure(sizes, features, outputClasses, skips = []) {
    this.sizes = sizes.slice();
    this.skips = skips.slice();
    this.features = features.slice();
    this.outputClasses = outputClasses;
    this.display = null; // the old display's weights have the old shapes
    this.maps = null;
    this.inspected = null;
    this.highlighted = "";
    this.build();
  }

  /**
   * The hidden neurons' maps from a boundary answer (kind "grid" with neurons), or none.
   * @param {any | null} b
   */
  setNeuronMaps(b) {
    // Maps live on the input plane: 1-D data (a boundary "curve") has none to show.
    const button = this.mapsButton;
    if (b && button) {
      const plane = b.kind === "grid";
      button.disabled = !plane;
      button.dataset.i18nTitle = plane ? "network.maps_hint" : "network.maps_need_plane";
      button.title = t(button.dataset.i18nTitle);
    }
    const maps = neuronMaps(b);
    if (!maps && !this.maps) return;
    this.maps = maps;
    this.applyMaps();
  }

  /**
   * Shows or hides the neuron maps (the nodes' fill then shows h again).
   * @param {boolean} on
   */
  setShowMaps(on) {
    this.showMaps = on;
    this.applyMaps();
  }

  /**
   * A toggle button (aria-pressed) that shows or hides the neuron maps.
   * @param {HTMLButtonElement} button
   */
  bindMapsToggle(button) {
    this.mapsButton = button;
    button.addEventListener("click", () => {
      const on = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", String(on));
      this.setShowMaps(on);
    });
  }

  /**
   * While playing the maps are not refreshed (the boundary comes without them), so they are
   * put away rather than shown stale; the frames are cheaper too.
   * @param {boolean} playing
   */
  setPlaying(playing) {
    this.playing = playing;
    this.applyMaps();
  }

  /** @private */
  applyMaps(repaint = true) {
    if (!this.refs) return;
    applyMaps(this.refs.nodes, this.maps, this.showMaps && !this.playing);
    if (repaint && this.display) this.paint(this.display);
  }

  /**
   * Marks the weight the inspector explains (null: none).
   * @param {{layer: number, i: number, j: number} | null} pick
   */
  setInspected(pick) {
    this.inspected = pick;
    if (this.refs) drawInspected(this.svg, this.refs.inspected, pick);
  }

  /**
   * Highlights nodes and edges named like "node:{column}:{j} edge:{layer}:{i}:{j}" (the
   * inspector's factors); null or "" clears.
   * @param {string | null} spec
   */
  highlight(spec) {
    this.highlighted = spec || "";
    if (this.refs) drawHighlight(this.svg, this.refs.halos, this.highlighted);
  }

  /**
   * Shows a display state (see network-paint.js). With `deferArrows` the arrows are drawn in
   * the next animation frame, so no single frame redraws both layers (play mode).
   * @param {import("../model/shown-step.js").Display} display
   * @param {{deferArrows?: boolean}} [options]
   */
  paint(display, { deferArrows = false } = {}) {
    this.display = display;
    if (!this.refs) return;
    if (this.pendingArrows) cancelAnimationFrame(this.pendingArrows);
    this.pendingArrows = 0;
    const { refs, layout } = this;
    this.scales = {
      ...paintBase(this.svg, refs, layout, display), ...arrowScale(layout, display), skipMax: skipScale(display.trace),
    };
    const arrows = () => {
      this.pendingArrows = 0;
      paintArrows(this.overlay, refs, display, this.scales);
      paintSkipArcs(refs.skips, display, this.scales);
    };
    if (deferArrows) this.pendingArrows = requestAnimationFrame(arrows);
    else arrows();
  }

  /** @private */
  onResize() {
    const w = this.svg.parentElement.clientWidth;
    const h = this.svg.parentElement.clientHeight;
    if (this.sizes && (Math.abs(w - this.size[0]) > 2 || Math.abs(h - this.size[1]) > 2)) this.build();
  }

  /** @private */
  build() {
    // The page's CSS gives the drawing at least this (the layer editors never give way).
    this.svg.parentElement.style.setProperty("--drawing-min", `${minDrawingHeight(this.sizes)}px`);
    const w = Math.max(200, this.svg.parentElement.clientWidth);
    const h = Math.max(200, this.svg.parentElement.clientHeight);
    this.size = [w, h];
    for (const svg of [this.svg, this.overlay]) {
      svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
      svg.setAttribute("width", String(w));
      svg.setAttribute("height", String(h));
      clear(svg);
    }
    const layout = layoutNetwork(this.sizes, w, h);
    this.layout = layout;
    const defs = svgEl("defs", {}, this.overlay);
    for (const [name, size] of HEADS) {
      for (const faded of [false, true]) {
        const m = svgEl("marker", {
          id: `grad-head-${name}${faded ? "-faded" : ""}`, viewBox: "0 0 10 10", refX: 8, refY: 5,
          markerUnits: "userSpaceOnUse", markerWidth: size, markerHeight: size, orient: "auto",
        }, defs);
        svgEl("path", { d: "M0 0L10 5L0 10z", class: faded ? "grad-head faded" : "grad-head" }, m);
      }
    }
    const clip = svgEl("clipPath", { id: "node-clip" }, svgEl("defs", {}, this.svg));
    const { nodeW, nodeH } = layout;
    svgEl("rect", { x: -nodeW / 2, y: -nodeH / 2, width: nodeW, height: nodeH, rx: Math.min(9, nodeH / 4) }, clip);
    const gInspected = svgEl("g", { class: "inspected" }, this.svg);
    const gHalos = svgEl("g", { class: "edge-halos" }, this.svg);
    const gEdges = svgEl("g", { class: "edges" }, this.svg);
    const gSkips = svgEl("g", { class: "skip-arcs" }, this.svg);
    const gMarks = svgEl("g", { class: "update-marks" }, this.svg);
    const gArrows = svgEl("g", { class: "grad-arrows" }, this.overlay);
    const gSkipArrows = svgEl("g", { class: "skip-arrows" }, this.overlay);
    const gHits = svgEl("g", { class: "edge-hits" }, this.svg);
    const gNodes = svgEl("g", { class: "nodes" }, this.svg);
    const gFoot = svgEl("g", { class: "layer-foot" }, this.svg);
    const shift = Math.max(2.5, layout.nodeH * 0.13);
    const refs = {
      edges: [], arrows: [], marks: [], nodes: [], blocks: [], foot: [], skips: [], inspected: gInspected, halos: gHalos,
    };
    for (let l = 0; l < this.sizes.length - 1; l += 1) {
      const layerEdges = svgEl("g", { class: "edge-layer", "data-layer": l }, gEdges);
      const layerArrows = svgEl("g", { class: "grad-layer", "data-layer": l }, gArrows);
      const edges = [];
      const arrows = [];
      const marks = [];
      for (const e of edgeEnds(layout, l)) {
        const key = `${l}-${e.i < 0 ? "all" : e.i}-${e.j < 0 ? "all" : e.j}`;
        const data = { "data-layer": l, "data-i": e.i < 0 ? "*" : e.i, "data-j": e.j < 0 ? "*" : e.j };
        const aggregated = e.i < 0 || e.j < 0;
        const d = curve(e.x1, e.y1, e.x2, e.y2);
        const edgeAttrs = { id: `edge-${key}`, class: aggregated ? "edge aggregated" : "edge", d, ...data };
        edges.push({ el: svgEl("path", edgeAttrs, layerEdges), i: e.i, j: e.j });
        arrows.push({
          el: svgEl("path", { id: `grad-${key}`, class: "grad-arrow", d: arrowPath(e, shift), ...data }, layerArrows),
          i: e.i, j: e.j,
        });
        svgEl("path", { class: "edge-hit", d, "data-hit": "edge", ...data }, gHits);
        if (!aggregated) {
          const p = pointOnCurve(e, 0.3);
          marks.push({ el: svgEl("circle", { class: "update-mark", cx: p[0], cy: p[1], r: 0, ...data }, gMarks), i: e.i, j: e.j });
        }
      }
      refs.edges.push(edges);
      refs.arrows.push(arrows);
      refs.marks.push(marks);
      const a = layout.columns[l];
      const b = layout.columns[l + 1];
      const foot = svgEl("text", { class: "grad-norm", x: (a.x + b.x) / 2, y: layout.footY, "data-layer": l }, gFoot);
      refs.foot.push(foot);
    }
    refs.skips = buildSkipArcs(gSkips, gHits, gSkipArrows, layout, this.skips);
    for (const col of layout.columns) refs.nodes.push(this.buildColumn(gNodes, col, refs));
    this.refs = refs;
    this.svg.style.setProperty("--node-font", `${layout.font}px`);
    this.handlers.built(layout);
    this.applyMaps(false);
    this.setInspected(this.inspected);
    this.highlight(this.highlighted);
    if (this.display) this.paint(this.display);
  }

  /** @private */
  buildColumn(parent, col, refs) {
    const { nodeW, nodeH, font } = this.layout;
    const k = col.layer;
    const last = k === this.sizes.length - 1;
    if (col.aggregated) {
      const g = svgEl("g", { class: "node-block", id: `block-${k}`, "data-layer": k, "data-hit": "block" }, parent);
      const x = col.x - nodeW / 2;
      svgEl("rect", { class: "block-frame", x, y: col.top, width: nodeW, height: col.bottom - col.top, rx: 6 }, g);
      const image = svgEl("image", {
        class: "block-strip", x: x + 4, y: col.top + font * 2, width: nodeW - 8,
        height: col.bottom - col.top - font * 2 - 4, preserveAspectRatio: "none",
      }, g);
      const label = svgEl("text", { class: "block-label", x: col.x, y: col.top + font * 1.2 }, g);
      label.textContent = String(col.size);
      refs.blocks[k] = { g, image, size: col.size };
      return [];
    }
    return col.nodes.map((n) => {
      const g = svgEl("g", {
        class: k === 0 ? "node input" : "node", id: `node-${k}-${n.j}`, "data-layer": k, "data-j": n.j,
        "data-hit": "node", transform: `translate(${col.x} ${n.y})`,
      }, parent);
      const hidden = k > 0 && !last;
      const map = hidden
        ? svgEl("image", {
          class: "neuron-map", x: -nodeW / 2, y: -nodeH / 2, width: nodeW, height: nodeH,
          preserveAspectRatio: "none", "clip-path": "url(#node-clip)",
        }, g)
        : null;
      const rect = svgEl("rect", { x: -nodeW / 2, y: -nodeH / 2, width: nodeW, height: nodeH, rx: Math.min(9, nodeH / 4) }, g);
      const value = svgEl("text", { class: "node-value", y: -nodeH * 0.17 }, g);
      const second = svgEl("text", { class: k === 0 ? "node-label" : "node-delta", y: nodeH * 0.24 }, g);
      if (k === 0) second.textContent = this.features[n.j] ?? `x${n.j + 1}`;
      if (last && this.outputClasses > 0) {
        const swatch = svgEl("circle", { class: "class-swatch", cx: nodeW / 2, cy: 0, r: Math.max(3.5, font * 0.38), "data-class": n.j }, g);
        swatch.style.fill = classColor(n.j);
      }
      return { g, rect, value, delta: k === 0 ? null : second, map, mapped: false };
    });
  }

  /** @private */
  target(ev) {
    const el = ev.target instanceof Element ? ev.target.closest("[data-hit]") : null;
    if (!el) return null;
    const num = (v) => (v === "*" || v === undefined ? -1 : Number(v));
    return {
      kind: el.dataset.hit, layer: num(el.dataset.layer), i: num(el.dataset.i), j: num(el.dataset.j),
      x: ev.clientX, y: ev.clientY,
    };
  }

  /** @private */
  onPointer(ev) {
    const t = this.target(ev);
    if (t) this.handlers.hover(t);
    else this.handlers.leave();
  }

  /** @private */
  onClick(ev) {
    const t = this.target(ev);
    if (!t) return;
    if (t.kind === "edge" && t.i >= 0 && t.j >= 0) this.handlers.edgeClick(t);
    else if (t.kind === "node" && t.layer > 0) this.handlers.nodeClick(t);
  }
}

/**
 * A point on the edge's curve at parameter t (0 = left end).
 * @param {import("./layout.js").EdgeEnds} e
 * @param {number} t
 * @returns {[number, number]}
 */
function pointOnCurve(e, t) {
  const u = 1 - t;
  const m = (e.x1 + e.x2) / 2; // both inner control points share this x (see layout.curve)
  const x = u * u * u * e.x1 + 3 * u * t * m + t * t * t * e.x2;
  const a = u * u * u + 3 * u * u * t;
  return [x, e.y1 * a + e.y2 * (1 - a)];
}

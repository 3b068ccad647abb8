// Paints a display state onto the network drawing built by network-view.js: edge widths and
// colours from the weights, node values (h) and deltas (δ) from a step trace, the red gradient
// arrows of the layers the backward pass has reached, and the update marks.

import { setAttr } from "../ui/dom.js";
import { fmt, fmtShort } from "../draw/format.js";
import { backwardRank } from "../model/phases.js";
import { maxAbs, nodeFill, proportionalWidth, weightColor } from "../draw/scales.js";

/**
 * @typedef {{wmax: number, maxEdge: number, gmax: number, maxArrow: number, dwmax: number}} Scales
 */

/**
 * Paints everything but the arrows: edges from the weights, update marks, node values and
 * deltas, the per-layer gradient norms.
 * @param {SVGSVGElement} svg
 * @param {any} refs elements made by NetworkView.build
 * @param {import("./layout.js").NetworkLayout} layout
 * @param {import("../model/shown-step.js").Display} d
 * @returns {{wmax: number, maxEdge: number, dwmax: number}}
 */
export function paintBase(svg, refs, layout, d) {
  const L = refs.edges.length;
  const trace = d.trace;
  const [currentKind, currentLayer] = markPhase(svg, d);

  const wmax = maxAbs(d.weights);
  const maxEdge = Math.max(2.5, Math.min(8, layout.nodeH * 0.16));
  refs.edges.forEach((edges, l) => {
    const parent = edges[0]?.el.parentNode;
    if (parent) parent.classList.toggle("current", currentKind === "forward" && currentLayer === l);
    for (const ref of edges) {
      const { mean, meanAbs } = cell(d.weights[l], ref.i, ref.j);
      // Quarter pixels: in play mode most edges then keep their width from one frame to the
      // next, and an unchanged edge is not redrawn.
      const width = (Math.round(proportionalWidth(meanAbs, wmax, maxEdge, 0.5) * 4) / 4).toFixed(2);
      const color = weightColor(mean);
      if (ref.width !== width) ref.el.style.strokeWidth = ref.width = width;
      if (ref.color !== color) ref.el.style.stroke = ref.color = color;
      setAttr(ref.el, "data-w", String(mean));
    }
  });

  const updates = trace ? trace.layers.map((layer) => layer.update.dW) : [];
  const dwmax = maxAbs(updates);
  const showMarks = d.marks && d.updated && trace !== null;
  refs.marks.forEach((marks, l) => {
    for (const ref of marks) {
      const dw = showMarks ? updates[l][ref.i][ref.j] : 0;
      setAttr(ref.el, "r", showMarks ? proportionalWidth(dw, dwmax, 5.5, 1).toFixed(2) : "0");
      if (showMarks) {
        setAttr(ref.el, "fill", weightColor(dw));
        setAttr(ref.el, "data-dw", String(dw));
      } else if (ref.el.hasAttribute("data-dw")) {
        ref.el.removeAttribute("data-dw");
      }
    }
  });

  const prefix = layout.nodeW >= 44 ? "δ " : ""; // narrow nodes: the red alone marks δ
  refs.nodes.forEach((nodes, k) => paintColumn(nodes, k, d, L, prefix));
  refs.blocks.forEach((block, k) => block && paintBlock(block, k, d));
  refs.foot.forEach((text, l) => {
    const norm = trace && d.backward > backwardRank(L, l) ? trace.grad_norms[l] : null;
    setText(text, norm === null ? "" : fmt(norm, 3));
    setAttr(text, "data-value", norm === null ? "" : String(norm));
  });
  return { wmax, maxEdge, dwmax };
}

/**
 * The arrows' scale: the largest |∂L/∂w| of the step (drawn maxArrow wide).
 * @param {import("./layout.js").NetworkLayout} layout
 * @param {import("../model/shown-step.js").Display} d
 * @returns {{gmax: number, maxArrow: number}}
 */
export function arrowScale(layout, d) {
  const gmax = d.trace ? maxAbs(d.trace.layers.map((layer) => layer.dW)) : 0;
  return { gmax, maxArrow: Math.max(3, Math.min(10, layout.nodeH * 0.2)) };
}

/**
 * Paints the red gradient arrows of the layers the backward pass has reached (last layer
 * first, so its arrows get data-order 0), each as wide as |∂L/∂w|.
 * @param {SVGSVGElement} svg the arrows' layer
 * @param {any} refs
 * @param {import("../model/shown-step.js").Display} d
 * @param {{gmax: number, maxArrow: number}} scale
 */
export function paintArrows(svg, refs, d, scale) {
  const L = refs.arrows.length;
  const trace = d.trace;
  const [currentKind, currentLayer] = markPhase(svg, d);
  refs.arrows.forEach((arrows, l) => {
    const rank = backwardRank(L, l);
    const shown = trace !== null && rank < d.backward;
    const parent = arrows[0]?.el.parentNode;
    if (parent) parent.classList.toggle("current", currentKind === "backward" && currentLayer === l);
    const grads = shown ? trace.layers[l].dW : null;
    for (const ref of arrows) {
      if (!grads) {
        if (ref.el.hasAttribute("data-order")) {
          for (const name of ["data-order", "data-width", "data-dw"]) ref.el.removeAttribute(name);
        }
        continue;
      }
      const { mean, meanAbs } = cell(grads, ref.i, ref.j);
      sizeArrow(ref.el, proportionalWidth(meanAbs, scale.gmax, scale.maxArrow, 0.6), d.updated);
      setAttr(ref.el, "data-dw", String(mean));
      setAttr(ref.el, "data-order", String(rank));
    }
  });
}

/**
 * Gives a gradient arrow its width (rounded, also in data-width) and an arrowhead to match,
 * faded once the update has been shown.
 * @param {SVGElement} el
 * @param {number} width
 * @param {boolean} faded
 */
export function sizeArrow(el, width, faded) {
  const w = Number(width.toFixed(3));
  /** @type {any} */ (el).style.strokeWidth = String(w);
  const head = `${w < 3 ? "s" : w < 6 ? "m" : "l"}${faded ? "-faded" : ""}`;
  setAttr(el, "marker-end", `url(#grad-head-${head})`);
  setAttr(el, "data-width", String(w));
}

/** Marks the SVG with the display's phase and motion; the phase's kind and layer. */
function markPhase(svg, d) {
  setAttr(svg, "data-phase", d.phase);
  svg.classList.toggle("motion", d.motion);
  return splitPhase(d.phase);
}

/** "backward-2" → ["backward", 2]; "loss" → ["loss", NaN]. */
function splitPhase(key) {
  const [kind, layer] = key.split("-");
  return [kind, Number(layer)];
}

/**
 * The value one line stands for: the weight itself, or over a whole aggregated side
 * (i or j = -1) the mean and the mean absolute value.
 * @param {number[][]} W (n_in, n_out)
 * @param {number} i
 * @param {number} j
 * @returns {{mean: number, meanAbs: number}}
 */
export function cell(W, i, j) {
  if (i >= 0 && j >= 0) return { mean: W[i][j], meanAbs: Math.abs(W[i][j]) };
  let sum = 0;
  let sumAbs = 0;
  let n = 0;
  const rows = i >= 0 ? [W[i]] : W;
  for (const row of rows) {
    const cols = j >= 0 ? [row[j]] : row;
    for (const v of cols) {
      sum += v;
      sumAbs += Math.abs(v);
      n += 1;
    }
  }
  return { mean: n ? sum / n : 0, meanAbs: n ? sumAbs / n : 0 };
}

/**
 * The value and delta a node shows in display d, or nulls when not reached yet.
 * @param {import("../model/shown-step.js").Display} d
 * @param {number} k column (0 = input)
 * @param {number} j neuron
 * @param {number} L weight layers
 * @returns {{h: number | null, z: number | null, dz: number | null}}
 */
export function nodeNumbers(d, k, j, L) {
  const tr = d.trace;
  if (!tr || d.forward < Math.max(1, k)) return { h: null, z: null, dz: null };
  if (k === 0) return { h: tr.x[d.row][j], z: null, dz: null };
  const layer = tr.layers[k - 1];
  const dz = d.backward > backwardRank(L, k - 1) ? layer.dz[d.row][j] : null;
  return { h: layer.h[d.row][j], z: layer.z[d.row][j], dz };
}

function paintColumn(nodes, k, d, L, prefix) {
  const current = d.phase === `forward-${k - 1}` || d.phase === `backward-${k - 1}`;
  for (const [j, ref] of nodes.entries()) {
    const { h, z, dz } = nodeNumbers(d, k, j, L);
    ref.g.classList.toggle("current", current);
    ref.g.classList.toggle("empty", h === null);
    // A neuron's map (when shown) is its fill; otherwise the fill deepens with |h|.
    const fill = ref.mapped ? "transparent" : nodeFill(h);
    if (ref.fill !== fill) ref.rect.style.fill = ref.fill = fill;
    setText(ref.value, h === null ? "" : fmtShort(h));
    setAttr(ref.g, "data-value", h === null ? "" : String(h));
    setAttr(ref.g, "data-z", z === null ? "" : String(z));
    if (ref.delta) {
      setText(ref.delta, dz === null ? "" : `${prefix}${fmtShort(dz)}`);
      setAttr(ref.g, "data-delta", dz === null ? "" : String(dz));
    }
  }
}

function paintBlock(block, k, d) {
  const tr = d.trace;
  const shown = tr && d.forward >= Math.max(1, k);
  const values = !shown ? null : k === 0 ? tr.x[d.row] : tr.layers[k - 1].h[d.row];
  const key = values ? `${tr.step}-${d.row}-${values.length}-${values[0]}` : "";
  if (block.key === key) return;
  block.key = key;
  setAttr(block.image, "href", values ? stripImage(values) : "");
}

/** A 1 × n PNG (as a data URL) of the values as cell colours, top to bottom. */
function stripImage(values) {
  const canvas = document.createElement("canvas");
  canvas.width = 1;
  canvas.height = values.length;
  const ctx = canvas.getContext("2d");
  values.forEach((v, y) => {
    ctx.fillStyle = nodeFill(v);
    ctx.fillRect(0, y, 1, 1);
  });
  return canvas.toDataURL();
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

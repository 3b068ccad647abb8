// The skip connections of a residual network: an arc over each skip layer l from neuron r of
// column l to neuron r of column l + 1 (H(l) = H(l−1) + σ(Z(l))), and, once the backward pass
// has reached the layer, a red arrow along it carrying ∂L/∂H(l) straight back to H(l−1), as
// wide as its magnitude (the API's skip_dh, summed over the batch like dW).

import { setAttr, svgEl } from "../ui/dom.js";
import { backwardRank } from "../model/phases.js";
import { proportionalWidth } from "../draw/scales.js";
import { sizeArrow } from "./network-paint.js";

/**
 * @typedef {{layer: number, r: number, base: SVGElement, arrow: SVGElement}} SkipRef
 *   r is -1 for a layer drawn as a block (one arc stands for all its neurons)
 */

const r1 = (v) => Math.round(v * 10) / 10;

/**
 * Where the arc of neuron r over weight layer l runs: from the top of its node in column l to
 * the top of the same neuron in column l + 1, bulging up into the gap above the row.
 * @param {import("./layout.js").NetworkLayout} layout
 * @param {number} l
 * @param {number} r
 * @returns {{x1: number, y1: number, x2: number, y2: number, lift: number}}
 */
export function skipGeometry(layout, l, r) {
  const a = layout.columns[l];
  const b = layout.columns[l + 1];
  const { nodeW, nodeH } = layout;
  if (r < 0 || a.aggregated) {
    return { x1: a.x, y1: a.top, x2: b.x, y2: b.top, lift: Math.max(6, Math.min(26, a.top - 4)) };
  }
  const y = a.nodes[r].y - nodeH / 2 + 2;
  const spacing = a.nodes.length > 1 ? a.nodes[1].y - a.nodes[0].y : nodeH * 2;
  // Into the gap above the row, not through the node above: the gap is at least a fifth of
  // the spacing, and the arc rises near its ends by about a third of its lift.
  // (The top row keeps its arc inside the drawing.)
  const lift = Math.max(6, Math.min(44, spacing * 0.45, y - 4));
  return { x1: a.x + nodeW / 2 - 6, y1: y, x2: b.x - nodeW / 2 + 6, y2: y, lift };
}

/**
 * The arc as an SVG path, from left to right (or, reversed, right to left for the gradient).
 * @param {{x1: number, y1: number, x2: number, y2: number, lift: number}} g
 * @param {boolean} [reversed]
 * @param {number} [raise] drawn this much higher (the gradient beside the arc)
 * @returns {string}
 */
export function skipPath(g, reversed = false, raise = 0) {
  const up = g.lift * 4 / 3; // a cubic's control points at 4/3 of the peak height
  const dx = (g.x2 - g.x1) * 0.2;
  const [ax, bx] = reversed ? [g.x2, g.x1] : [g.x1, g.x2];
  const s = reversed ? -1 : 1;
  const y1 = g.y1 - raise;
  const y2 = g.y2 - raise;
  return `M${r1(ax)} ${r1(reversed ? y2 : y1)}C${r1(ax + s * dx)} ${r1(y1 - up)} ${r1(bx - s * dx)} ${r1(y2 - up)} ${r1(bx)} ${r1(reversed ? y1 : y2)}`;
}

/**
 * Draws the arcs (under the nodes), what the pointer finds them by (among the edges' own) and
 * their gradient arrows (in the arrows' layer).
 * @param {SVGGElement} arcs group in the network drawing
 * @param {SVGGElement} hits the group of the edges' hit lines
 * @param {SVGGElement} arrows group in the arrows' layer
 * @param {import("./layout.js").NetworkLayout} layout
 * @param {boolean[]} skips per weight layer, from the API
 * @returns {SkipRef[]}
 */
export function buildSkipArcs(arcs, hits, arrows, layout, skips) {
  const refs = [];
  skips.forEach((skip, l) => {
    if (!skip) return;
    const col = layout.columns[l];
    const rows = col.aggregated ? [-1] : col.nodes.map((n) => n.j);
    for (const r of rows) {
      const g = skipGeometry(layout, l, r);
      const data = { "data-layer": l, "data-r": r < 0 ? "*" : r };
      const base = svgEl("path", { id: `skip-${l}-${r < 0 ? "all" : r}`, class: "skip-arc", d: skipPath(g), ...data }, arcs);
      // Hovering the arc shows what it carries (inspector/skip-card.js).
      svgEl("path", { class: "skip-hit", d: skipPath(g), "data-hit": "skip", "data-layer": l, "data-j": r < 0 ? "*" : r }, hits);
      const arrow = svgEl("path", {
        id: `skip-grad-${l}-${r < 0 ? "all" : r}`, class: "skip-arrow", d: skipPath(g, true, 3), ...data,
      }, arrows);
      refs.push({ layer: l, r, base, arrow });
    }
  });
  return refs;
}

/**
 * What the skip arrow of neuron r over layer l carries for the batch: Σ_s skip_dh[s][r] (for
 * a block, the mean over its neurons, and the mean of the magnitudes).
 * @param {any} layerTrace the step trace's layer (skip_dh: (n, n_out))
 * @param {number} r
 * @returns {{value: number, size: number}}
 */
export function skipGradient(layerTrace, r) {
  const rows = layerTrace.skip_dh;
  const width = rows[0].length;
  const sumOf = (k) => rows.reduce((acc, row) => acc + row[k], 0);
  if (r >= 0) {
    const v = sumOf(r);
    return { value: v, size: Math.abs(v) };
  }
  let value = 0;
  let size = 0;
  for (let k = 0; k < width; k += 1) {
    const v = sumOf(k);
    value += v / width;
    size += Math.abs(v) / width;
  }
  return { value, size };
}

/**
 * The largest |Σ_s skip_dh| of the step, which the widest skip arrow (maxArrow) stands for.
 * @param {any | null} trace
 * @returns {number}
 */
export function skipScale(trace) {
  if (!trace) return 0;
  let m = 0;
  for (const layer of trace.layers) {
    if (!layer.skip_dh) continue;
    for (let r = 0; r < layer.skip_dh[0].length; r += 1) m = Math.max(m, skipGradient(layer, r).size);
  }
  return m;
}

/**
 * Paints the skip arrows of the layers the backward pass has reached.
 * @param {SkipRef[]} refs
 * @param {import("../model/shown-step.js").Display} d
 * @param {{maxArrow: number, skipMax: number}} scale
 */
export function paintSkipArcs(refs, d, scale) {
  const trace = d.trace;
  const L = trace ? trace.layers.length : 0;
  for (const ref of refs) {
    const layer = trace ? trace.layers[ref.layer] : null;
    const shown = layer && layer.skip_dh && backwardRank(L, ref.layer) < d.backward;
    ref.arrow.classList.toggle("current", d.phase === `backward-${ref.layer}`);
    if (!shown) {
      for (const name of ["data-order", "data-width", "data-value"]) ref.arrow.removeAttribute(name);
      continue;
    }
    const { value, size } = skipGradient(layer, ref.r);
    sizeArrow(ref.arrow, proportionalWidth(size, scale.skipMax, scale.maxArrow, 0.6), d.updated);
    setAttr(ref.arrow, "data-value", String(value));
    setAttr(ref.arrow, "data-order", String(backwardRank(L, ref.layer)));
  }
}

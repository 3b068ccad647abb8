// What the network drawing shows on top of its weights and neurons, besides the step: each
// hidden neuron's map over the input plane, the weight the inspector explains, and the nodes
// and edges an inspector factor points at.

import { clear, svgEl } from "../ui/dom.js";
import { neuronImage } from "../draw/heatmap.js";

/**
 * Data URLs of the hidden neurons' maps, by column (0 = input, which has none), from a
 * boundary answer; null when it has none (1-D data, no hidden layer, the output only).
 * @param {any | null} b
 * @returns {string[][] | null}
 */
export function neuronMaps(b) {
  const grids = b && b.kind === "grid" && b.neurons && b.neurons.length ? b.neurons : null;
  return grids ? [[], ...grids.map((layer) => layer.map((g) => neuronImage(g, b.resolution)))] : null;
}

/**
 * Puts the maps into the hidden nodes (or takes them out); a node with a map shown is
 * "mapped", and its fill is left to the map.
 * @param {any[][]} nodes the node refs by column (NetworkView's refs.nodes)
 * @param {string[][] | null} maps
 * @param {boolean} show
 */
export function applyMaps(nodes, maps, show) {
  nodes.forEach((column, k) => {
    for (const [j, ref] of column.entries()) {
      if (!ref.map) continue;
      const url = maps && maps[k] ? maps[k][j] : "";
      if (url) ref.map.setAttribute("href", url);
      else ref.map.removeAttribute("href");
      ref.mapped = Boolean(url) && show;
      ref.g.classList.toggle("mapped", ref.mapped);
    }
  });
}

/**
 * A band under the weight the inspector explains.
 * @param {SVGSVGElement} svg
 * @param {SVGGElement} group where the band goes (emptied first)
 * @param {{layer: number, i: number, j: number} | null} pick
 */
export function drawInspected(svg, group, pick) {
  clear(group);
  const edge = pick && svg.querySelector(`#edge-${pick.layer}-${pick.i}-${pick.j}`);
  if (edge) svgEl("path", { class: "edge-inspected", d: edge.getAttribute("d") }, group);
}

/**
 * Highlights nodes and edges named like "node:{column}:{j} edge:{layer}:{i}:{j}" (the
 * inspector's factors): nodes get the class "hl", edges a halo in `group`; "" clears.
 * @param {SVGSVGElement} svg
 * @param {SVGGElement} group
 * @param {string} spec
 */
export function drawHighlight(svg, group, spec) {
  for (const g of svg.querySelectorAll(".node.hl")) g.classList.remove("hl");
  clear(group);
  for (const token of spec.split(/\s+/).filter(Boolean)) {
    const [kind, ...idx] = token.split(":");
    if (kind === "node") {
      const g = svg.querySelector(`#node-${idx[0]}-${idx[1]}`);
      if (g) g.classList.add("hl");
    } else if (kind === "edge") {
      const edge = svg.querySelector(`#edge-${idx[0]}-${idx[1]}-${idx[2]}`);
      if (edge) svgEl("path", { class: "edge-halo", d: edge.getAttribute("d"), "data-edge": edge.id }, group);
    }
  }
}

// Where things go in the network drawing: pure geometry from layer sizes, no DOM.

/** Layers wider than this are drawn as one block with bundled lines. */
export const MAX_DRAWN = 16;

const FOOT_H = 26; // room for the per-layer gradient norms under the columns
const TOP = 10;
const MIN_NODE_H = 14;
// The narrowest neuron still holds "−0.45" in the smallest font (9 px, bold).
const MIN_NODE_W = 34;

/**
 * The least height the drawing needs for its tallest drawn column's nodes not to overlap.
 * @param {number[]} sizes
 * @param {number} [maxDrawn]
 * @returns {number}
 */
export function minDrawingHeight(sizes, maxDrawn = MAX_DRAWN) {
  const maxNodes = Math.max(1, ...sizes.map((n) => (n > maxDrawn ? 0 : n)));
  return Math.ceil(maxNodes * MIN_NODE_H + TOP + FOOT_H);
}

/**
 * @typedef {{j: number, y: number}} NodePos
 * @typedef {{layer: number, size: number, x: number, aggregated: boolean, nodes: NodePos[],
 *            top: number, bottom: number}} Column
 * @typedef {{width: number, height: number, columns: Column[], nodeW: number, nodeH: number,
 *            font: number, colSpacing: number, footY: number}} NetworkLayout
 * @typedef {{i: number, j: number, x1: number, y1: number, x2: number, y2: number}} EdgeEnds
 *   i or j is -1 on an aggregated side (one line stands for the whole block).
 */

/**
 * Columns of nodes, one per layer (input first), spread over a width × height box.
 * @param {number[]} sizes neurons per layer, input first
 * @param {number} width
 * @param {number} height
 * @param {number} [maxDrawn]
 * @returns {NetworkLayout}
 */
export function layoutNetwork(sizes, width, height, maxDrawn = MAX_DRAWN) {
  const gaps = Math.max(1, sizes.length - 1);
  const footH = FOOT_H;
  const top = TOP;
  const bottom = height - footH;
  const availH = Math.max(40, bottom - top);
  const drawn = sizes.map((n) => (n > maxDrawn ? 0 : n));
  const maxNodes = Math.max(1, ...drawn);
  const rowSpacing = availH / maxNodes;
  const nodeH = Math.max(MIN_NODE_H, Math.min(62, rowSpacing * 0.8));
  const provisionalSpacing = (width - 40) / gaps;
  const nodeW = Math.max(MIN_NODE_W, Math.min(88, provisionalSpacing * 0.48, nodeH * 1.9 + 20));
  const marginX = nodeW / 2 + 8;
  const colSpacing = (width - 2 * marginX) / gaps;
  const centerY = top + availH / 2;
  const font = Math.max(9, Math.min(17, nodeH * 0.3, nodeW * 0.24));
  const columns = sizes.map((size, layer) => {
    const x = sizes.length === 1 ? width / 2 : marginX + layer * colSpacing;
    if (size > maxDrawn) {
      const h = availH * 0.9;
      return { layer, size, x, aggregated: true, nodes: [], top: centerY - h / 2, bottom: centerY + h / 2 };
    }
    const nodes = Array.from({ length: size }, (_, j) => ({
      j,
      y: centerY + (j - (size - 1) / 2) * rowSpacing,
    }));
    return {
      layer, size, x, aggregated: false, nodes,
      top: nodes[0].y - nodeH / 2, bottom: nodes[size - 1].y + nodeH / 2,
    };
  });
  return { width, height, columns, nodeW, nodeH, font, colSpacing, footY: height - footH / 2 + 4 };
}

/**
 * Where one side of a bundle meets an aggregated block: spread like the other side's nodes.
 * @param {Column} block
 * @param {number} y the y of the node on the other side
 * @param {number} height the drawing's height
 * @returns {number}
 */
function blockY(block, y, height) {
  const t = Math.max(0, Math.min(1, y / height));
  return block.top + 12 + t * (block.bottom - block.top - 24);
}

/**
 * Endpoints of the lines of weight layer l (between columns l and l + 1): one per weight,
 * or one per drawn node when a side is aggregated, or a single line when both are.
 * @param {NetworkLayout} layout
 * @param {number} l
 * @returns {EdgeEnds[]}
 */
export function edgeEnds(layout, l) {
  const a = layout.columns[l];
  const b = layout.columns[l + 1];
  const x1 = a.x + layout.nodeW / 2;
  const x2 = b.x - layout.nodeW / 2;
  const mid = (c) => (c.top + c.bottom) / 2;
  if (a.aggregated && b.aggregated) return [{ i: -1, j: -1, x1, y1: mid(a), x2, y2: mid(b) }];
  if (a.aggregated) {
    return b.nodes.map((n) => ({ i: -1, j: n.j, x1, y1: blockY(a, n.y, layout.height), x2, y2: n.y }));
  }
  if (b.aggregated) {
    return a.nodes.map((n) => ({ i: n.j, j: -1, x1, y1: n.y, x2, y2: blockY(b, n.y, layout.height) }));
  }
  const out = [];
  for (const n of a.nodes) for (const m of b.nodes) out.push({ i: n.j, j: m.j, x1, y1: n.y, x2, y2: m.y });
  return out;
}

/**
 * A smooth S-shaped path from (x1, y1) to (x2, y2), as TensorFlow Playground draws links.
 * @returns {string}
 */
export function curve(x1, y1, x2, y2) {
  const dx = (x2 - x1) / 2;
  const r = (v) => Math.round(v * 10) / 10;
  return `M${r(x1)} ${r(y1)}C${r(x1 + dx)} ${r(y1)} ${r(x2 - dx)} ${r(y2)} ${r(x2)} ${r(y2)}`;
}

/**
 * The path of a gradient arrow for an edge: the same curve run backwards (right to left),
 * shifted down so the edge stays visible beside it, ending at the left node's border.
 * @param {EdgeEnds} e
 * @param {number} shift
 * @returns {string}
 */
export function arrowPath(e, shift) {
  return curve(e.x2, e.y2 + shift, e.x1 + 2, e.y1 + shift);
}

// Which weight layers a residual network gives a skip connection: every hidden one whose input
// and output widths are equal (never the output layer), as core's MLP.skips. The drawing uses
// the API's own `skips`; this says it in the editor before the network is built. Pure.

/**
 * @param {number[]} layers neurons per layer, input first
 * @returns {number[]} the 0-based weight layers that can skip
 */
export function skipLayers(layers) {
  const out = [];
  for (let l = 0; l < layers.length - 2; l += 1) if (layers[l] === layers[l + 1]) out.push(l);
  return out;
}

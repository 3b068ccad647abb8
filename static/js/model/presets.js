// Ready-made configurations that each show one idea: a deep sigmoid network whose first
// layers' gradients vanish, the same with skip connections (residual: they no longer vanish),
// the same with ReLU, and a network without activations. Pure.

const DEEP = [2, 8, 8, 8, 8, 8, 8, 2];

/**
 * The configuration of a preset, built from the API's defaults (or, for "linear", from the
 * current configuration with every hidden activation made linear).
 * @param {"deep-sigmoid" | "deep-sigmoid-residual" | "deep-relu" | "linear"} name
 * @param {any} current the configuration on screen
 * @param {import("./catalog.js").Catalog} catalog
 * @returns {any}
 */
export function presetConfig(name, current, catalog) {
  if (name === "linear") {
    const c = structuredClone(current);
    c.activations = c.activations.map((a, l) => (l < c.activations.length - 1 ? "linear" : a));
    return c;
  }
  const act = name.startsWith("deep-sigmoid") ? "sigmoid" : "relu";
  const defaults = catalog.defaults;
  return {
    ...defaults,
    layers: DEEP.slice(),
    activations: [...Array(DEEP.length - 2).fill(act), defaults.activations.at(-1)],
    // Xavier suits sigmoid's slope at 0 and He suits ReLU's: each is given its fair start.
    init: act === "sigmoid" ? "xavier" : "he",
    // The skips go over the six 8 → 8 layers: ∂L/∂H(l) reaches H(l−1) without a σ′ factor.
    residual: name === "deep-sigmoid-residual",
  };
}

// What the API accepts, as the server said it (GET /api/v1/catalog): every name, default and
// limit the page offers is read from here; no script writes one of its own. Pure.

/**
 * @typedef {{task: "classification" | "regression", inputDim: number, minClasses: number,
 *            maxClasses: number, features: string[], n: number[], noise: number[],
 *            testFraction: number[]}} DatasetInfo
 * @typedef {{min: number, max: number, min_exclusive?: boolean, max_exclusive?: boolean}} Bound
 */

export class Catalog {
  /** @param {any} body the answer of GET /api/v1/catalog */
  constructor(body) {
    this.body = body;
    /** @type {Record<string, number>} the server's limits (max_layers, max_width, …) */
    this.limits = body.limits;
  }

  /** @returns {any} a complete network body: the API's defaults */
  get defaults() {
    return structuredClone(this.body.defaults);
  }

  /** @returns {string[]} the dataset generators' names */
  kinds() {
    return this.body.datasets.map((d) => d.name);
  }

  /**
   * What a generator makes and the ranges of its parameters (an unknown kind: the default
   * one's); an explicit `points` dataset gets the points' ranges and the task it says.
   * @param {any} ds a dataset config
   * @returns {DatasetInfo}
   */
  dataset(ds) {
    const entry = this.body.datasets.find((d) => d.name === ds.kind);
    if (!entry && ds.kind !== "points") return this.dataset(this.body.defaults.dataset);
    if (entry) {
      const classes = Array.isArray(entry.classes) ? entry.classes : [0, 0];
      return {
        task: entry.task, inputDim: entry.input_dim, minClasses: classes[0], maxClasses: classes[1],
        features: entry.features, n: entry.parameters.n, noise: entry.parameters.noise,
        testFraction: entry.parameters.test_fraction,
      };
    }
    const p = this.body.points;
    const task = ds.task || this.body.tasks[0].name;
    const dim = Array.isArray(ds.points) && ds.points[0] ? ds.points[0].length : 0;
    const classes = task === "classification" ? p.classes : [0, 0];
    return {
      task, inputDim: dim, minClasses: classes[0], maxClasses: classes[1], features: [],
      n: p.n, noise: [0, 0], testFraction: p.test_fraction,
    };
  }

  /** @returns {string[]} the tasks (classification, regression) */
  get tasks() {
    return this.body.tasks.map((x) => x.name);
  }

  /**
   * @param {string} task
   * @returns {{name: string, loss: string, output: string, losses: {name: string, outputs: string[]}[]}}
   */
  task(task) {
    return this.body.tasks.find((x) => x.name === task) || this.body.tasks[0];
  }

  /**
   * @param {string} task
   * @returns {string[]} the losses the API accepts for a task
   */
  losses(task) {
    return this.task(task).losses.map((l) => l.name);
  }

  /**
   * @param {string} task
   * @param {string} loss
   * @returns {string[]} the output activations the API accepts with that loss on that task
   */
  outputs(task, loss) {
    const fit = this.task(task).losses.find((l) => l.name === loss);
    return fit ? fit.outputs.slice() : [];
  }

  /** @returns {number[]} [fewest, most] points an explicit dataset may have */
  get pointsRange() {
    return this.body.points.n.slice();
  }

  /** @returns {number} the most classes a generator makes (and one can draw) */
  get drawnClasses() {
    const most = Math.max(...this.body.datasets.map((d) => (Array.isArray(d.classes) ? d.classes[1] : 0)));
    return Math.min(most, this.body.points.classes[1]);
  }

  /** @returns {string[]} the hidden layers' activations */
  get hidden() {
    return this.body.activations.hidden.slice();
  }

  /**
   * @param {number} inputDim
   * @returns {string[]} the input features raw points of that dimension allow
   */
  features(inputDim) {
    return this.body.features.filter((f) => f.input_dim <= inputDim).map((f) => f.name);
  }

  /** @returns {string[]} */
  get inits() {
    return this.body.inits.slice();
  }

  /** @returns {string[]} */
  get optimizers() {
    return this.body.optimizers.map((o) => o.name);
  }

  /**
   * @param {string} name
   * @returns {Record<string, number>} the optimizer's hyper-parameters and their defaults
   */
  optimizerDefaults(name) {
    const o = this.body.optimizers.find((x) => x.name === name);
    return o ? { ...o.defaults } : {};
  }

  /**
   * @param {string} name seed, batch_size, l2, learning_rate or momentum
   * @returns {Bound}
   */
  bound(name) {
    return this.body.bounds[name];
  }

  /**
   * Whether the API accepts `v` for a bounded number.
   * @param {string} name
   * @param {number} v
   */
  within(name, v) {
    return inBound(this.bound(name), v);
  }

  /** @returns {number} the most weight layers a network may have */
  get maxWeightLayers() {
    return this.limits.max_layers;
  }

  /** @returns {number} the most neurons a layer may have */
  get maxWidth() {
    return this.limits.max_width;
  }
}

/**
 * Whether `v` lies within a bound of the catalog.
 * @param {Bound} b
 * @param {number} v
 */
export function inBound(b, v) {
  const aboveMin = b.min_exclusive ? v > b.min : v >= b.min;
  const belowMax = b.max_exclusive ? v < b.max : v <= b.max;
  return aboveMin && belowMax;
}

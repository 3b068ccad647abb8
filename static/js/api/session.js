// The page's model: the current network on the server, its dataset and its history, kept in
// step with the API's answers.

import * as api from "./client.js";

export class Session {
  constructor() {
    /** @type {any} the configuration the page edits (NetworkCreate) */
    this.config = null;
    /** @type {import("../model/catalog.js").Catalog} what the API accepts (set at start) */
    this.catalog = null;
    /** History entries kept, as many as the server keeps (its max_history) */
    this.maxHistory = Infinity;
    /** @type {any} the network state (GET /networks/{id}) with weights kept current */
    this.net = null;
    /** @type {any} GET /networks/{id}/data */
    this.data = null;
    /** @type {any[]} */
    this.history = [];
    /** @type {{train_loss: number|null, train_accuracy: number|null, test_loss: number|null, test_accuracy: number|null}} */
    this.metrics = { train_loss: null, train_accuracy: null, test_loss: null, test_accuracy: null };
    /** Counts every change of the parameters the page knows of (steps, edits, resets, builds). */
    this.version = 0;
    /** @type {{value: any, step: number}} the API's linear collapse and the step it is of */
    this.collapse = { value: null, step: 0 };
    /**
     * Told when a request about the current network finds the server no longer has it (a 404:
     * evicted from a full store, expired, or deleted elsewhere); the request still fails.
     * @type {(id: string) => void}
     */
    this.onGone = () => {};
  }

  /** @returns {string} */
  get id() {
    return this.net.id;
  }

  /** @returns {Promise<any>} GET /catalog: every name, default and limit the API accepts */
  async loadCatalog() {
    const body = await api.catalog();
    this.maxHistory = body.limits.max_history;
    return body;
  }

  /**
   * Builds a new network on the server and loads its data.
   * @param {any} config
   */
  async create(config) {
    const net = await api.createNetwork(config);
    const data = await api.getData(net.id);
    this.config = config;
    this.setNet(net);
    this.data = data;
  }

  /**
   * Creates a network from an exported document (weights, optimizer state, history) and loads
   * its data; `config` becomes the network's own.
   * @param {object} doc
   */
  async importDoc(doc) {
    const net = await api.importNetwork(doc);
    const data = await api.getData(net.id);
    this.config = net.config;
    this.setNet(net);
    this.data = data;
  }

  /**
   * Opens a network the server keeps (a reload), or a copy of one (a trained-network link);
   * `config` becomes the network's own.
   * @param {string} id
   * @param {boolean} [copy]
   */
  async open(id, copy = false) {
    const net = copy ? await api.copyNetwork(id) : await api.getNetwork(id);
    const data = await api.getData(net.id);
    this.config = net.config;
    this.setNet(net);
    this.data = data;
  }

  /**
   * A request about the current network; a 404 for it is told to onGone (and still thrown).
   * @template T
   * @param {(id: string) => Promise<T>} request
   * @returns {Promise<T>}
   * @private
   */
  async about(request) {
    try {
      return await request(this.id);
    } catch (err) {
      if (err instanceof api.ApiError && err.gone && this.net && err.network === this.net.id) this.onGone(err.network);
      throw err;
    }
  }

  /** @returns {Promise<object>} the export document of the current network */
  exportDoc() {
    return this.about(api.exportNetwork);
  }

  /**
   * Deletes a network the page no longer shows (best effort; it expires anyway).
   * @param {string} id
   */
  forget(id) {
    api.deleteNetwork(id).catch(() => {});
  }

  /**
   * @param {{steps?: number, sample?: number, batch?: number[]}} body
   * @returns {Promise<any>} the step trace
   */
  async step(body) {
    const trace = await this.about((id) => api.step(id, body));
    this.net.weights = trace.weights;
    this.net.biases = trace.biases;
    this.net.step = trace.step;
    this.version += 1;
    for (const h of trace.history) this.history.push(h);
    if (this.history.length > this.maxHistory) this.history.splice(0, this.history.length - this.maxHistory);
    this.metrics = {
      train_loss: trace.train.loss, train_accuracy: trace.train.accuracy,
      test_loss: trace.test.loss, test_accuracy: trace.test.accuracy,
    };
    return trace;
  }

  /** @param {object} patch NetworkPatch (the answer has no history: the page's is kept) */
  async patch(patch) {
    this.setNet(await this.about((id) => api.patchNetwork(id, patch)), true);
  }

  async reset() {
    this.setNet(await this.about(api.reset));
  }

  /**
   * Fetches the state without its history, for `linear_collapse` after steps.
   * @returns {Promise<any>}
   */
  async refreshCollapse() {
    const id = this.id;
    const state = await this.about(() => api.getNetwork(id, { history: false }));
    if (this.net && this.net.id === id) this.collapse = { value: state.linear_collapse, step: state.step };
    return state;
  }

  /**
   * @param {number} resolution
   * @param {boolean} [neurons] false: the output only
   */
  boundary(resolution, neurons = true) {
    return this.about((id) => api.boundary(id, resolution, neurons));
  }

  /**
   * @param {{layer: number, i: number, j: number, of?: "last" | "next", form?: string,
   *          max_paths?: number}} q
   */
  explain(q) {
    return this.about((id) => api.explain(id, q));
  }

  gradcheck() {
    return this.about(api.gradcheck);
  }

  /**
   * σ and σ′ of an activation over [lo, hi] (the network's own functions, from the API).
   * @param {string} name
   * @param {number} lo
   * @param {number} hi
   * @param {number} resolution
   */
  activationCurve(name, lo, hi, resolution) {
    return api.activationCurve(name, lo, hi, resolution);
  }

  /** @private */
  setNet(net, keepHistory = false) {
    this.net = net;
    this.version += 1;
    this.collapse = { value: net.linear_collapse ?? null, step: net.step };
    if (!keepHistory) this.history = net.history.slice();
    const m = net.metrics || {};
    this.metrics = {
      train_loss: m.train_loss ?? null, train_accuracy: m.train_accuracy ?? null,
      test_loss: m.test_loss ?? null, test_accuracy: m.test_accuracy ?? null,
    };
  }
}

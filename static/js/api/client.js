// The HTTP API (docs/api.md) as promises: the only module that calls fetch.

const BASE = "/api/v1";

/** An HTTP error with the server's `detail` turned into one readable message. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   * @param {unknown} detail the server's `detail` as sent
   */
  constructor(status, message, detail, { network = null, retryAfter = null } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.detail = detail;
    /** @type {string | null} the network the request was about (/networks/{id}/…) */
    this.network = network;
    /** @type {number | null} seconds the server said to wait (Retry-After of a 429 or 503) */
    this.retryAfter = retryAfter;
    /** @type {string | null} a catalog key: what the page was doing, said before the server's words */
    this.during = null;
  }

  /** The server no longer has the network the request was about (404). */
  get gone() {
    return this.status === 404 && this.network !== null;
  }

  /** A diverged network: 409 with a message (other 409s carry a list, like a 422). */
  get diverged() {
    return this.status === 409 && typeof this.detail === "string";
  }
}

/**
 * @param {unknown} detail FastAPI's `detail`: a string or a list of {loc, msg}
 * @returns {string}
 */
function detailText(detail) {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((d) => (d && typeof d === "object" ? `${(d.loc || []).slice(1).join(".")}: ${d.msg}` : String(d)))
      .join("; ");
  }
  return "";
}

/**
 * @param {string} method
 * @param {string} path under /api/v1
 * @param {unknown} [body]
 * @param {string | null} [network] the network the path is about (a 404 then means it is gone)
 * @returns {Promise<any>}
 */
async function call(method, path, body, network = null) {
  const init = { method, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(BASE + path, init);
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const text = detailText(data && data.detail) || `${response.status} ${response.statusText}`;
    const wait = Number(response.headers.get("Retry-After"));
    const retryAfter = Number.isFinite(wait) && wait > 0 ? wait : null;
    throw new ApiError(response.status, text, data && data.detail, { network, retryAfter });
  }
  return data;
}

const net = (id) => `/networks/${encodeURIComponent(id)}`;

/**
 * A request about one network (its 404 says the server no longer has it).
 * @param {string} method
 * @param {string} id
 * @param {string} rest the path after /networks/{id}
 * @param {unknown} [body]
 */
const onNet = (method, id, rest, body) => call(method, net(id) + rest, body, id);

/** Every name, default and limit the API accepts (ApiCatalog): the page offers only these. */
export const catalog = () => call("GET", "/catalog");

/** @param {object} config NetworkCreate @returns {Promise<object>} the network state */
export const createNetwork = (config) => call("POST", "/networks", config);

/**
 * The network state; `history: false` leaves out the (up to 20,000) history entries.
 * @param {string} id
 * @param {{history?: boolean}} [options]
 */
export const getNetwork = (id, { history = true } = {}) => onNet("GET", id, history ? "" : "?history=false");

/** @param {string} id */
export const getData = (id) => onNet("GET", id, "/data");

/**
 * Hyper-parameters (learning_rate, batch_size, …) or `set` one parameter; no reset. The
 * answer leaves out the history (the page keeps its own).
 * @param {string} id
 * @param {object} patch NetworkPatch
 */
export const patchNetwork = (id, patch) => onNet("PATCH", id, "?history=false", patch);

/**
 * @param {string} id
 * @param {{steps?: number, sample?: number, batch?: number[], apply?: boolean}} body
 * @returns {Promise<object>} the step trace (StepResult)
 */
export const step = (id, body) => onNet("POST", id, "/step", body);

/** @param {string} id */
export const reset = (id) => onNet("POST", id, "/reset", {});

/**
 * @param {string} id
 * @param {number} resolution grid cells per side
 * @param {boolean} [neurons] false: the output grid only (no per-neuron grids)
 */
export const boundary = (id, resolution, neurons = true) =>
  onNet("GET", id, `/boundary?resolution=${resolution}${neurons ? "" : "&neurons=false"}`);

/**
 * The chain-rule decomposition of ∂L/∂W(layer)[i, j] (ExplainResult); `form` "paths" adds the
 * sum over paths (at most `max_paths` listed), "note" the lecture note's derivation.
 * @param {string} id
 * @param {{layer: number, i: number, j: number, of?: "last" | "next", form?: string,
 *          max_paths?: number}} q
 */
export const explain = (id, { layer, i, j, of = "last", form = "", max_paths = 0 }) =>
  onNet("GET", id, `/explain?layer=${layer}&i=${i}&j=${j}&of=${of}`
    + (form ? `&form=${form}` : "") + (max_paths ? `&max_paths=${max_paths}` : ""));

/**
 * σ(z) and σ′(z) of a hidden activation at `resolution` evenly spaced z from lo to hi.
 * @param {string} name
 * @param {number} lo
 * @param {number} hi
 * @param {number} resolution
 */
export const activationCurve = (name, lo, hi, resolution) =>
  call("GET", `/activations/${encodeURIComponent(name)}?lo=${lo}&hi=${hi}&resolution=${resolution}`);

/**
 * Backprop against central finite differences on the next batch (GradcheckResult).
 * @param {string} id
 */
export const gradcheck = (id) => onNet("POST", id, "/gradcheck", {});

/**
 * A JSON document with the config, parameters, optimizer state, step and history.
 * @param {string} id
 */
export const exportNetwork = (id) => onNet("GET", id, "/export");

/**
 * Creates a network from an exported document; resolves with its state.
 * @param {object} doc
 */
export const importNetwork = (doc) => call("POST", "/networks/import", doc);

/** @param {string} id */
export const deleteNetwork = (id) => onNet("DELETE", id, "");

/** A server-side copy of a network (weights, optimizer state, history); resolves with its state. */
export const copyNetwork = (id) => onNet("POST", id, "/copy", {});

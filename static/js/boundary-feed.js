// Keeps the decision boundary current without flooding the server: at most one request in
// flight and one every MIN_INTERVAL_MS; replaced networks are deleted once no boundary
// request can still be asking about them.

const MIN_INTERVAL_MS = 250;

export class BoundaryFeed {
  /**
   * @param {import("./session.js").Session} session
   * @param {(boundary: any) => void} show called with each answer for the current network
   * @param {() => number} resolution grid cells per side for the next request
   */
  constructor(session, show, resolution) {
    this.session = session;
    this.show = show;
    this.resolution = resolution;
    this.busy = false;
    this.wanted = false;
    this.last = 0;
    /** @type {string[]} */
    this.retired = [];
  }

  /** Asks for a fresh boundary (soon, not necessarily now). */
  refresh() {
    this.wanted = true;
    this.pump();
  }

  /**
   * Deletes a replaced network once no boundary request can still be using it.
   * @param {string} id
   */
  retire(id) {
    this.retired.push(id);
    this.pump();
  }

  /** @private */
  async pump() {
    if (this.busy) return;
    if (!this.wanted) {
      for (const id of this.retired.splice(0)) this.session.forget(id);
      return;
    }
    const wait = this.last + MIN_INTERVAL_MS - performance.now();
    if (wait > 0) {
      setTimeout(() => this.pump(), wait);
      return;
    }
    this.busy = true;
    this.wanted = false;
    const id = this.session.id;
    try {
      const b = await this.session.boundary(this.resolution());
      if (id === this.session.id) this.show(b);
    } catch {
      // The picture is a nicety: a failed request leaves the last one, the next step retries.
    } finally {
      this.busy = false;
      this.last = performance.now();
      this.pump();
    }
  }
}

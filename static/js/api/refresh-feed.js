// Keeps the pictures that follow the weights (the decision boundary, the linear collapse)
// current without flooding the server: one request in flight at a time, each kind at most
// once per its interval; replaced networks are deleted once no request can still be asking
// about them.

/**
 * @typedef {{fetch: () => Promise<any>, show: (answer: any) => void, interval: () => number}} Job
 *   interval: least milliseconds between two requests of this kind
 */

export class RefreshFeed {
  /** @param {import("./session.js").Session} session */
  constructor(session) {
    this.session = session;
    /** @type {Record<string, Job & {wanted: boolean, last: number}>} */
    this.jobs = {};
    this.busy = false;
    this.timer = 0;
    /** @type {string[]} */
    this.retired = [];
  }

  /**
   * @param {string} name
   * @param {Job} job
   */
  add(name, job) {
    this.jobs[name] = { ...job, wanted: false, last: -Infinity };
  }

  /**
   * Asks for a fresh answer of one kind (soon, not necessarily now).
   * @param {string} name
   */
  refresh(name) {
    this.jobs[name].wanted = true;
    this.pump();
  }

  /**
   * Deletes a replaced network once no request can still be using it.
   * @param {string} id
   */
  retire(id) {
    this.retired.push(id);
    this.pump();
  }

  /** @private */
  async pump() {
    if (this.busy) return;
    const wanted = Object.values(this.jobs).filter((j) => j.wanted);
    if (wanted.length === 0) {
      for (const id of this.retired.splice(0)) this.session.forget(id);
      return;
    }
    const now = performance.now();
    const job = wanted.find((j) => now >= j.last + j.interval());
    if (!job) {
      clearTimeout(this.timer);
      const wait = Math.min(...wanted.map((j) => j.last + j.interval() - now));
      this.timer = setTimeout(() => this.pump(), wait);
      return;
    }
    this.busy = true;
    job.wanted = false;
    const id = this.session.id;
    try {
      const answer = await job.fetch();
      if (id === this.session.id) job.show(answer);
    } catch {
      // The pictures are a nicety: a failed request leaves the last one; the next step retries.
    } finally {
      this.busy = false;
      job.last = performance.now();
      this.pump();
    }
  }
}

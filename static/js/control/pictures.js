// The pictures that follow the weights: the decision boundary behind the data (and each
// hidden neuron's map, left out while playing) and the linear-collapse card.

import { byId } from "../ui/dom.js";
import { RefreshFeed } from "../api/refresh-feed.js";

const BOUNDARY_RESOLUTION = 48;
const BOUNDARY_RESOLUTION_PLAYING = 32; // a smaller answer keeps play mode's frames short

export class Pictures {
  /**
   * @param {object} deps
   * @param {import("../api/session.js").Session} deps.session
   * @param {() => boolean} deps.playing
   * @param {import("../panels/data-plot.js").DataPlot} deps.dataPlot
   * @param {import("../network/network-view.js").NetworkView} deps.network
   * @param {() => void} deps.collapseChanged the linear collapse has a new answer
   */
  constructor({ session, playing, dataPlot, network, collapseChanged }) {
    this.session = session;
    this.feed = new RefreshFeed(session);
    this.feed.add("boundary", {
      fetch: async () => {
        const neurons = !playing();
        const wanted = playing() ? BOUNDARY_RESOLUTION_PLAYING : BOUNDARY_RESOLUTION;
        const res = Math.min(wanted, session.catalog.limits.max_resolution); // the server's bound
        const step = session.net.step;
        return { b: await session.boundary(res, neurons), neurons, step };
      },
      show: ({ b, neurons, step }) => {
        dataPlot.setBoundary(b);
        byId("data-plot").dataset.boundaryStep = String(step);
        if (!neurons) return;
        network.setNeuronMaps(b);
        byId("network").dataset.mapsStep = String(step); // which weights the maps are of (for tests)
      },
      interval: () => 250,
    });
    this.feed.add("collapse", {
      fetch: () => session.refreshCollapse(),
      show: collapseChanged,
      interval: () => (playing() ? 1000 : 250),
    });
  }

  /** Asks for the pictures of the current weights (the API draws 1-D and 2-D inputs only). */
  refresh() {
    if (this.session.data.points[0].length <= 2) this.feed.refresh("boundary");
    if (this.session.collapse.value) this.feed.refresh("collapse");
  }
}

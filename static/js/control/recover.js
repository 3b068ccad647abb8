// When the server no longer has a network the page shows (a 404: evicted from a full store
// after BACKPROP_LENS_EVICT_IDLE_MINUTES idle, expired after BACKPROP_LENS_IDLE_DAYS, or
// deleted by another tab or API client), the action that found out builds a new one from the
// settings on screen and runs once more on it; a refused build (429: the store is full, or
// too many creations) is said with its wait, and nothing is tried again until the next action.

import { ApiError } from "../api/client.js";

/**
 * @param {unknown} err
 * @param {import("../api/session.js").Session} session
 * @returns {boolean} the error is a 404 about the network `session` shows
 */
export function goneFrom(err, session) {
  return err instanceof ApiError && err.gone && Boolean(session.net) && err.network === session.net.id;
}

/**
 * Runs `action`; if it finds its network gone, `rebuild` builds a new one and `action` runs
 * once more (a second 404 is an error like any other: no loop), then `say` tells the reader.
 * @template T
 * @param {object} spec
 * @param {() => Promise<T>} spec.action API work, inside a serial task
 * @param {(err: unknown) => boolean} spec.gone the error says the action's network is gone
 * @param {(err: ApiError) => Promise<void>} spec.rebuild builds the network(s) anew, at step 0
 * @param {() => void} spec.say tells the reader (after the action, which may hide the banner)
 * @returns {Promise<T>}
 */
export async function retryGone({ action, gone, rebuild, say }) {
  try {
    return await action();
  } catch (err) {
    if (!gone(err)) throw err;
    await rebuildOrSay(() => rebuild(/** @type {ApiError} */ (err)));
  }
  const result = await action();
  say();
  return result;
}

/**
 * Builds anew; a refusal is said as what it is: the old network is gone and no new one came.
 * @param {() => Promise<void>} rebuild
 */
export async function rebuildOrSay(rebuild) {
  try {
    await rebuild();
  } catch (err) {
    if (err instanceof ApiError) err.during = "gone.refused";
    throw err;
  }
}

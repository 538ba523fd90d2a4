import type { Observable } from 'rxjs';
import type { Duration } from '../durations.js';

/** Options of one watch subscription. */
export interface WatchOptions {
  /**
   * How often to poll this ref for a new version. When several subscribers of one ref ask for different
   * intervals, the shortest wins. `Infinity` never polls (only triggers and change feeds check the ref).
   * Default: the engine's default interval. Ignored by providers whose change feed reports every change.
   */
  interval?: Duration;
  /**
   * Each emission forces a prompt check of this ref (bursts are coalesced): bridge EventBridge / Event Grid
   * notifications here. An error of this stream ends this subscription with that error.
   */
  trigger?: Observable<unknown>;
}

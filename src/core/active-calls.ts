/**
 * A backend call as {@link ActiveCalls} holds it: its place in the list and, while its current attempt may time
 * out, when. The fields belong to the list.
 */
export abstract class ActiveCall {
  /** When {@link ActiveCall.expire} is due (epoch ms); infinite when nothing may time out. */
  deadlineAt = Number.POSITIVE_INFINITY;
  listedBefore: ActiveCall | undefined;
  listedAfter: ActiveCall | undefined;
  listed = false;

  /** The deadline passed; called once, after the list has let go of the deadline. */
  abstract expire(): void;
  /** Stops the call with `reason` (the client closed); it removes itself from the list. */
  abstract cancel(reason: unknown): void;
}

/**
 * The calls in flight of one provider, in an intrusive list (no hashing, no allocation: it sits on every backend
 * call), cancelled together when the client closes, and their attempt deadlines on one Node timer armed for the
 * earliest. Arming and clearing a timer per call costs more than the rest of a fast call (Node builds and tears down
 * a timer list, and reschedules its libuv timer, whenever no other timer of that length is pending). The timer keeps
 * the process alive only while a deadline is pending, as a timer per call would; when none is, it stays armed but
 * unreferenced until it fires or {@link ActiveCalls.cancelAll} stops it. Measured against a timer armed and cleared
 * per call (what rxjs `timeout` does; `npm run bench -- core`, 2026-12-07): 152 vs 198 ns per call, the timer alone: not
 * a difference a user feels on its own; the list also serves to cancel every call when the client closes.
 */
export class ActiveCalls {
  #first: ActiveCall | undefined;
  #last: ActiveCall | undefined;
  /** How many listed calls have a deadline. */
  #timed = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  /** The `setTimeout` the timer was armed with: a test's fake clock may have replaced it since. */
  #armedWith: typeof setTimeout | undefined;

  /** Lists `call`, expiring it `timeoutMs` after `now` unless the deadline is cleared first (infinite: never). */
  add(call: ActiveCall, timeoutMs: number, now: number): void {
    call.listed = true;
    call.listedBefore = this.#last;
    if (this.#last === undefined) this.#first = call;
    else this.#last.listedAfter = call;
    this.#last = call;
    if (!Number.isFinite(timeoutMs)) return;
    const at = now + timeoutMs;
    call.deadlineAt = at;
    this.#timed += 1;
    if (this.#timer === undefined || this.#armedWith !== globalThis.setTimeout || at < this.#timerAt) {
      this.#arm(at);
    } else if (this.#timed === 1) {
      this.#timer.ref();
    }
  }

  /** Drops the deadline of `call` (its attempt settled); it stays listed. */
  clearDeadline(call: ActiveCall): void {
    if (call.deadlineAt === Number.POSITIVE_INFINITY) return;
    call.deadlineAt = Number.POSITIVE_INFINITY;
    this.#timed -= 1;
    if (this.#timed === 0) this.#timer?.unref();
  }

  /** Unlists `call` (it settled), with its deadline; a no-op when it is not listed. */
  remove(call: ActiveCall): void {
    if (!call.listed) return;
    this.clearDeadline(call);
    call.listed = false;
    const before = call.listedBefore;
    const after = call.listedAfter;
    if (before === undefined) this.#first = after;
    else before.listedAfter = after;
    if (after === undefined) this.#last = before;
    else after.listedBefore = before;
    call.listedBefore = undefined;
    call.listedAfter = undefined;
  }

  /** Cancels every listed call with `reason` and stops the timer (the client closed). */
  cancelAll(reason: unknown): void {
    for (let call = this.#first; call !== undefined; call = this.#first) {
      this.remove(call);
      call.cancel(reason);
    }
    if (this.#timer !== undefined && this.#armedWith === globalThis.setTimeout) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  #arm(at: number): void {
    if (this.#timer !== undefined && this.#armedWith === globalThis.setTimeout) clearTimeout(this.#timer);
    this.#armedWith = globalThis.setTimeout;
    this.#timerAt = at;
    this.#timer = setTimeout(() => this.#sweep(), Math.max(0, at - Date.now()));
  }

  #sweep(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    const expired: ActiveCall[] = [];
    let earliest = Number.POSITIVE_INFINITY;
    for (let call = this.#first; call !== undefined; call = call.listedAfter) {
      if (call.deadlineAt <= now) {
        this.clearDeadline(call);
        expired.push(call);
      } else if (call.deadlineAt < earliest) {
        earliest = call.deadlineAt;
      }
    }
    if (earliest !== Number.POSITIVE_INFINITY) this.#arm(earliest);
    for (const call of expired) call.expire();
  }
}

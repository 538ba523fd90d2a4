/**
 * A backend call as {@link ActiveCalls} holds it: its place in the list and, while its current attempt may time
 * out, its timer. The fields belong to the list.
 */
export abstract class ActiveCall {
  /** The pending deadline of the current attempt, if any. */
  deadline: ReturnType<typeof setTimeout> | undefined;
  listedBefore: ActiveCall | undefined;
  listedAfter: ActiveCall | undefined;
  listed = false;

  /** The deadline passed; called once, after the list has let go of the deadline. */
  abstract expire(): void;
  /** Stops the call with `reason` (the client closed); it removes itself from the list. */
  abstract cancel(reason: unknown): void;
}

function expireCall(call: ActiveCall): void {
  call.deadline = undefined;
  call.expire();
}

/**
 * The calls in flight of one provider, cancelled together when the client closes, each with a plain `setTimeout`
 * for its attempt deadline (cleared when the attempt settles; a pending deadline keeps the process alive). An
 * intrusive list rather than a Set: it sits on every backend call, and needs no hashing or allocation. One timer
 * shared by every call was measured against this (`npm run bench -- core`, 2026-12-07): 152 vs 198 ns per call, the
 * timer alone, and through the facade no difference in an SDK call's overhead (`npm run bench -- aws`; see
 * benchmarks/README.md): not a difference a user feels, so the simple form is used.
 */
export class ActiveCalls {
  #first: ActiveCall | undefined;
  #last: ActiveCall | undefined;

  /** Lists `call`, expiring it `timeoutMs` from now unless the deadline is cleared first (infinite: never). */
  add(call: ActiveCall, timeoutMs: number): void {
    call.listed = true;
    call.listedBefore = this.#last;
    if (this.#last === undefined) this.#first = call;
    else this.#last.listedAfter = call;
    this.#last = call;
    if (Number.isFinite(timeoutMs)) call.deadline = setTimeout(expireCall, timeoutMs, call);
  }

  /** Drops the deadline of `call` (its attempt settled); it stays listed. */
  clearDeadline(call: ActiveCall): void {
    if (call.deadline === undefined) return;
    clearTimeout(call.deadline);
    call.deadline = undefined;
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

  /** Cancels every listed call with `reason`, with its deadline (the client closed). */
  cancelAll(reason: unknown): void {
    for (let call = this.#first; call !== undefined; call = this.#first) {
      this.remove(call);
      call.cancel(reason);
    }
  }
}

import type dbus from 'dbus-next';

/** Which signals to receive: every field given must match. */
export interface SignalRule {
  /** The sender (a well-known name is resolved by the bus daemon when routing). */
  sender?: string;
  /** The object path that emits the signal. */
  path?: string;
  /** The interface of the signal. */
  interface?: string;
  /** The signal name. */
  member?: string;
  /** The first string argument (e.g. the name in NameOwnerChanged). */
  arg0?: string;
}

/** The D-Bus match rule text of a {@link SignalRule} (`type='signal',path='…',…`), for `AddMatch`. */
export function toMatchRule(rule: SignalRule): string {
  const parts = ["type='signal'"];
  if (rule.sender !== undefined) parts.push(`sender='${rule.sender}'`);
  if (rule.path !== undefined) parts.push(`path='${rule.path}'`);
  if (rule.interface !== undefined) parts.push(`interface='${rule.interface}'`);
  if (rule.member !== undefined) parts.push(`member='${rule.member}'`);
  if (rule.arg0 !== undefined) parts.push(`arg0='${rule.arg0}'`);
  return parts.join(',');
}

/**
 * Whether a received signal matches the rule. The sender is not compared here: the bus daemon already routed by
 * sender, and a well-known name in the rule would not equal the unique name on the message.
 */
export function matchesRule(message: dbus.Message, rule: SignalRule): boolean {
  if (rule.path !== undefined && message.path !== rule.path) return false;
  if (rule.interface !== undefined && message.interface !== rule.interface) return false;
  if (rule.member !== undefined && message.member !== rule.member) return false;
  if (rule.arg0 !== undefined && message.body[0] !== rule.arg0) return false;
  return true;
}

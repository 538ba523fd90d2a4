import type dbus from 'dbus-next';
import type { CallOptions, SecretServiceConnection } from './connection.js';
import { Interfaces } from './constants.js';
import { variant } from './dbus-module.js';

/** Reads one D-Bus property (`org.freedesktop.DBus.Properties.Get`) and returns its unwrapped value. */
export async function getProperty(
  connection: SecretServiceConnection,
  path: string,
  iface: string,
  name: string,
  options?: CallOptions,
): Promise<unknown> {
  const [variant] = await connection.call(
    { path, interface: Interfaces.properties, member: 'Get', signature: 'ss', body: [iface, name] },
    options,
  );
  return (variant as dbus.Variant).value;
}

/** Reads every property of one interface (`GetAll`), unwrapped, keyed by property name. */
export async function getAllProperties(
  connection: SecretServiceConnection,
  path: string,
  iface: string,
  options?: CallOptions,
): Promise<Record<string, unknown>> {
  const [variants] = await connection.call(
    { path, interface: Interfaces.properties, member: 'GetAll', signature: 's', body: [iface] },
    options,
  );
  const out: Record<string, unknown> = {};
  for (const [key, variant] of Object.entries(variants as Record<string, dbus.Variant>)) out[key] = variant.value;
  return out;
}

/** Writes one D-Bus property (`Set`) with a value of the given D-Bus signature. */
export async function setProperty(
  connection: SecretServiceConnection,
  path: string,
  iface: string,
  name: string,
  signature: string,
  value: unknown,
  options?: CallOptions,
): Promise<void> {
  await connection.call(
    {
      path,
      interface: Interfaces.properties,
      member: 'Set',
      signature: 'ssv',
      body: [iface, name, variant(signature, value)],
    },
    options,
  );
}

/** A D-Bus uint64 (BigInt in dbus-next) as a number. */
export function toNumber(value: unknown): number {
  return typeof value === 'bigint' ? Number(value) : Number(value ?? 0);
}

/**
 * Checks Key Vault applies to names, values and request bodies, answered with 400 BadParameter.
 * @internal
 * @module
 */
import { serviceErrors } from './errors.js';
import type { SecretVersionProperties } from './secret-records.js';

/** Largest secret value Key Vault accepts, in bytes of UTF-8. */
export const MAX_VALUE_BYTES = 25 * 1024;

const NAME_PATTERN = /^[0-9a-zA-Z-]{1,127}$/;

/** Whether a secret name is valid: 1–127 characters of `0-9a-zA-Z-`. */
export function isValidSecretName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

/** Throws 400 unless the name is valid. */
export function assertSecretName(name: string): void {
  if (!isValidSecretName(name)) {
    throw serviceErrors.badParameter(
      `The request URI contains an invalid name: ${name.slice(0, 127)}. Names must match ^[0-9a-zA-Z-]+$ (1-127 characters).`,
    );
  }
}

/** Reads a PUT /secrets/{name} body: `{ value, contentType?, tags?, attributes? }`. */
export function parseSetBody(body: unknown): { value: string; properties: SecretVersionProperties } {
  const record = asObject(body, 'request body');
  if (typeof record.value !== 'string')
    throw serviceErrors.badParameter('Property "value" is required and must be a string.');
  if (Buffer.byteLength(record.value, 'utf8') > MAX_VALUE_BYTES) {
    throw serviceErrors.badParameter(`Secret value exceeds the maximum size of ${MAX_VALUE_BYTES} bytes.`);
  }
  return { value: record.value, properties: parseProperties(record) };
}

/** Reads a PATCH body: `{ contentType?, tags?, attributes? }`. */
export function parseUpdateBody(body: unknown): SecretVersionProperties {
  return parseProperties(asObject(body ?? {}, 'request body'));
}

function parseProperties(record: Record<string, unknown>): SecretVersionProperties {
  const properties: SecretVersionProperties = {};
  if (record.contentType != null) properties.contentType = asString(record.contentType, 'contentType');
  if (record.tags != null) properties.tags = asTags(record.tags);
  if (record.attributes != null) {
    const attributes = asObject(record.attributes, 'attributes');
    if (attributes.enabled != null) {
      if (typeof attributes.enabled !== 'boolean')
        throw serviceErrors.badParameter('"attributes.enabled" must be a boolean.');
      properties.enabled = attributes.enabled;
    }
    if (attributes.nbf != null) properties.nbf = asUnixSeconds(attributes.nbf, 'attributes.nbf');
    if (attributes.exp != null) properties.exp = asUnixSeconds(attributes.exp, 'attributes.exp');
  }
  return properties;
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw serviceErrors.badParameter(`The ${what} must be a JSON object.`);
  }
  return value as Record<string, unknown>;
}

function asString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw serviceErrors.badParameter(`"${what}" must be a string.`);
  return value;
}

function asUnixSeconds(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw serviceErrors.badParameter(`"${what}" must be an integer number of seconds since 1970.`);
  }
  return value;
}

function asTags(value: unknown): Record<string, string> {
  const tags = asObject(value, 'tags');
  for (const [key, tag] of Object.entries(tags)) asString(tag, `tags.${key}`);
  return { ...(tags as Record<string, string>) };
}

import { type AwsServiceError, constraintError, coralError } from './errors.js';

/** A decoded JSON request body: always an object (the HTTP layer rejects anything else). */
export type JsonObject = Record<string, unknown>;

function memberName(key: string): string {
  return key.charAt(0).toLowerCase() + key.slice(1);
}

function wrongType(key: string, expected: string): AwsServiceError {
  return coralError('SerializationException', `Expected ${expected} for member ${key}`);
}

/** Reads an optional string member; a value of another JSON type is a `SerializationException`, as on AWS. */
export function optionalString(input: JsonObject, key: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw wrongType(key, 'a string');
  return value;
}

/** Reads a required string member; a missing one is the `ValidationException` AWS returns for a null member. */
export function requiredString(input: JsonObject, key: string): string {
  const value = optionalString(input, key);
  if (value === undefined) throw constraintError(memberName(key), undefined, 'Member must not be null');
  return value;
}

/** Reads an optional boolean member. */
export function optionalBoolean(input: JsonObject, key: string): boolean | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw wrongType(key, 'a boolean');
  return value;
}

/** Reads an optional integer member and checks it against the model's range. */
export function optionalInteger(input: JsonObject, key: string, min: number, max: number): number | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(key, 'an integer');
  if (value < min)
    throw constraintError(memberName(key), value, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw constraintError(memberName(key), value, `Member must have value less than or equal to ${max}`);
  return value;
}

/** Reads an optional list of strings. */
export function optionalStringList(input: JsonObject, key: string): string[] | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
    throw wrongType(key, 'a list of strings');
  return value as string[];
}

/** Reads an optional list of objects (filters, tags). */
export function optionalObjectList(input: JsonObject, key: string): JsonObject[] | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'object' || item === null || Array.isArray(item))) {
    throw wrongType(key, 'a list of structures');
  }
  return value as JsonObject[];
}

/** A `Key`/`Value` tag, as both services take them. */
export interface Tag {
  /** Tag key. */
  Key: string;
  /** Tag value. */
  Value: string;
}

/** Reads an optional `Tags` list. */
export function optionalTags(input: JsonObject, key = 'Tags'): Tag[] | undefined {
  const list = optionalObjectList(input, key);
  return list?.map((tag) => ({ Key: requiredString(tag, 'Key'), Value: optionalString(tag, 'Value') ?? '' }));
}

/** Checks a string member's length against the model's constraint. */
export function checkLength(key: string, value: string, min: number, max: number): void {
  if (value.length < min) {
    throw constraintError(memberName(key), value, `Member must have length greater than or equal to ${min}`);
  }
  if (value.length > max) {
    throw constraintError(memberName(key), value, `Member must have length less than or equal to ${max}`);
  }
}
